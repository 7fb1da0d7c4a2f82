// Archives a contact of the customer, after saying what that does.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property ContactsModel contacts

    id: dialog
    objectName: "archiveContactDialog"
    property int row: -1
    property string name: ""
    title: qsTr("Archive the contact %1?").arg(name)
    acceptText: qsTr("Archive")
    acceptName: "confirmArchiveContactButton"
    errorText: contacts.errorText
    function ask(index, contactName) {
        row = index
        name = contactName
        open()
    }
    onSubmitted: {
        if (contacts.archive(row)) close()
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: qsTr("An archived contact leaves this list and the search on every device of the team; the record is kept.")
    }
}
