// One contact of the customer page: name, title, primary; phone and e-mail as
// links; make primary, edit and archive for whoever may edit the customer.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

ColumnLayout {
    id: contactRow

    property bool editable: false
    signal makePrimaryRequested(int index)
    signal editRequested(string contactId, string name, string title, string phone, string email)
    signal archiveRequested(int index, string name)

    function dialable(phone) { return phone.replace(/[^0-9+]/g, "") }

    required property int index
    required property string contactId
    required property string name
    required property string title
    required property string phone
    required property string email
    required property bool primary
    Layout.fillWidth: true
    spacing: 0
    RowLayout {
        Layout.fillWidth: true
        Label {
            Layout.fillWidth: true
            text: [contactRow.name, contactRow.title, contactRow.primary ? qsTr("primary") : ""].filter(s => s.length > 0).join(" · ")
            font.bold: contactRow.primary
            elide: Text.ElideRight
        }
        ToolButton {
            text: qsTr("Make primary")
            font.pixelSize: Theme.fontSmall
            visible: contactRow.editable && !contactRow.primary
            onClicked: contactRow.makePrimaryRequested(contactRow.index)
        }
        ToolButton {
            text: qsTr("Edit")
            font.pixelSize: Theme.fontSmall
            visible: contactRow.editable
            onClicked: contactRow.editRequested(contactRow.contactId, contactRow.name, contactRow.title,
                                            contactRow.phone, contactRow.email)
        }
        ToolButton {
            objectName: "archiveContactButton"
            text: qsTr("Archive")
            font.pixelSize: Theme.fontSmall
            visible: contactRow.editable
            onClicked: contactRow.archiveRequested(contactRow.index, contactRow.name)
        }
    }
    Label {
        text: [contactRow.phone.length > 0 ? "<a href=\"tel:%1\">%2</a>".arg(contactRow.dialable(contactRow.phone)).arg(contactRow.phone) : "",
               contactRow.email.length > 0 ? "<a href=\"mailto:%1\">%1</a>".arg(contactRow.email) : ""]
              .filter(s => s.length > 0).join(" · ")
        textFormat: Text.StyledText
        visible: text.length > 0
        onLinkActivated: link => Qt.openUrlExternally(link)
    }
}
