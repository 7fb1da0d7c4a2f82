// First sign-in: server, user, password. Later starts skip this page (the
// token is in the replica) and work offline.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(page.width - 48, 400)
        spacing: 12

        Label {
            text: qsTr("fieldsync")
            font.pixelSize: Theme.fontDisplay
            font.bold: true
            color: Material.color(Material.Indigo)
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: qsTr("Sign in to your company's sync server. After the first sign-in the app works offline.")
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
        }
        TextField {
            id: server
            objectName: "serverField"
            Layout.fillWidth: true
            placeholderText: qsTr("Server address, e.g. https://sync.example.com")
            Accessible.name: qsTr("Server address")
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
            text: page.session.server
            enabled: !page.session.busy
        }
        TextField {
            id: user
            objectName: "userField"
            Layout.fillWidth: true
            placeholderText: qsTr("User name")
            Accessible.name: placeholderText
            inputMethodHints: Qt.ImhNoAutoUppercase
            enabled: !page.session.busy
        }
        TextField {
            id: password
            objectName: "passwordField"
            Layout.fillWidth: true
            placeholderText: qsTr("Password")
            Accessible.name: placeholderText
            echoMode: TextInput.Password
            enabled: !page.session.busy
            onAccepted: signIn.clicked()
        }
        Label {
            objectName: "signInError"
            visible: text.length > 0
            text: page.session.errorText
            color: Material.color(Material.Red)
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Button {
            id: signIn
            objectName: "signInButton"
            Layout.fillWidth: true
            highlighted: true
            flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
            text: page.session.busy ? qsTr("Signing in…") : qsTr("Sign in")
            enabled: !page.session.busy
            onClicked: {
                page.session.signIn(server.text, user.text, password.text)
                password.clear()
            }
        }
        BusyIndicator {
            running: page.session.busy
            visible: running
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
