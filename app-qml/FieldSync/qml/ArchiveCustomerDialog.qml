// Archives the customer, after saying what that does; `archived` when done.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property CustomerDetail detail
    signal archived()

    id: dialog
    objectName: "archiveDialog"
    title: qsTr("Archive %1?").arg(detail.name)
    acceptText: qsTr("Archive")
    acceptName: "confirmArchiveButton"
    errorText: detail.errorText
    onSubmitted: {
        if (detail.archive()) {
            close()
            dialog.archived()
        }
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: qsTr("An archived customer leaves the customer list and the reports on every device of the team. Its visits, contacts and complaints are kept.")
    }
}
