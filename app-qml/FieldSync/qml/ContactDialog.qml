// Adds a contact to the customer, or edits one (edit() fills it).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property ContactsModel contacts

    id: dialog
    objectName: "contactDialog"
    property string contactId: ""
    title: contactId.length > 0 ? qsTr("Edit contact") : qsTr("Add contact")
    acceptName: "saveContactButton"
    errorText: contacts.errorText
    function edit(id, name, title, phone, email) {
        contactId = id
        contactName.text = name
        contactTitle.text = title
        contactPhone.text = phone
        contactEmail.text = email
        open()
    }
    onSubmitted: {
        if (contacts.save(contactId, contactName.text, contactTitle.text, contactPhone.text, contactEmail.text))
            close()
    }
    Label { text: qsTr("Name") }
    TextField { id: contactName; objectName: "contactName"; Layout.fillWidth: true; Accessible.name: qsTr("Name") }
    Label { text: qsTr("Title") }
    TextField { id: contactTitle; objectName: "contactTitle"; Layout.fillWidth: true; Accessible.name: qsTr("Title") }
    Label { text: qsTr("Phone") }
    TextField { id: contactPhone; objectName: "contactPhone"; Layout.fillWidth: true; inputMethodHints: Qt.ImhDialableCharactersOnly; Accessible.name: qsTr("Phone") }
    Label { text: qsTr("E-mail") }
    TextField { id: contactEmail; objectName: "contactEmail"; Layout.fillWidth: true; inputMethodHints: Qt.ImhEmailCharactersOnly; Accessible.name: qsTr("E-mail") }
}
