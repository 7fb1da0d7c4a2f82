// Settings: who is signed in where, language, sync now, sign out.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    required property Translator translator

    title: qsTr("Settings")

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: parent.width
            spacing: 8

            GroupBox {
                title: qsTr("Account")
                Layout.fillWidth: true
                Layout.margins: 12
                GridLayout {
                    columns: 2
                    width: parent.width
                    Label { text: qsTr("Server") }
                    Label {
                        objectName: "serverLabel"
                        text: page.session.server
                        elide: Text.ElideMiddle
                        Layout.fillWidth: true
                    }
                    Label { text: qsTr("User") }
                    Label {
                        objectName: "userLabel"
                        text: page.session.user
                        Layout.fillWidth: true
                    }
                    Label { text: qsTr("Role") }
                    Label {
                        text: page.session.role === "manager" ? qsTr("Manager")
                              : page.session.role === "admin" ? qsTr("Administrator") : qsTr("Sales rep")
                        Layout.fillWidth: true
                    }
                }
            }

            GroupBox {
                title: qsTr("Language")
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
                ComboBox {
                    objectName: "languageBox"
                    Accessible.name: qsTr("Language")
                    width: parent.width
                    textRole: "text"
                    valueRole: "value"
                    model: [
                        { value: "", text: qsTr("System default") },
                        { value: "zh", text: "中文" },
                        { value: "en", text: "English" }
                    ]
                    Component.onCompleted: currentIndex = indexOfValue(page.translator.language)
                    onActivated: page.translator.language = currentValue
                }
            }

            GroupBox {
                title: qsTr("Sync")
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
                ColumnLayout {
                    width: parent.width
                    Label {
                        text: page.session.sync.errorText.length > 0
                              ? qsTr("Last problem: %1").arg(page.session.sync.errorText)
                              : qsTr("%n change(s) waiting to be sent", "", page.session.sync.pendingCount)
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Button {
                        objectName: "syncNowButton"
                        text: qsTr("Sync now")
                        enabled: page.session.sync.running && !page.session.sync.syncing
                        onClicked: page.session.sync.syncNow()
                    }
                }
            }

            GroupBox {
                title: qsTr("Sign out")
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
                ColumnLayout {
                    width: parent.width
                    Label {
                        text: qsTr("Signing out sends your pending changes, then removes all customer data from this device.")
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Button {
                        objectName: "signOutButton"
                        text: page.session.busy ? qsTr("Sending changes…") : qsTr("Sign out")
                        enabled: !page.session.busy
                        highlighted: true
                        flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                        Material.accent: Material.Red
                        onClicked: confirmSignOut.open()
                    }
                }
            }
        }
    }

    Dialog {
        id: confirmSignOut
        objectName: "confirmSignOutDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(parent.width - 32, 420)
        modal: true
        title: qsTr("Sign out?")
        standardButtons: Dialog.Ok | Dialog.Cancel
        contentItem: Label {
            wrapMode: Text.WordWrap
            text: qsTr("All data on this device will be removed after your changes are sent.")
        }
        onAccepted: page.session.signOut()
    }

    Dialog {
        id: unsynced
        objectName: "unsyncedDialog"
        property int pending: 0
        property string reason: ""
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(parent.width - 32, 420)
        modal: true
        title: qsTr("Changes not sent")
        standardButtons: Dialog.Cancel
        ColumnLayout {
            width: unsynced.availableWidth
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("%n change(s) could not be sent to the server and will be lost if you sign out now.", "", unsynced.pending)
                      + "\n" + unsynced.reason
            }
            Button {
                objectName: "discardAndSignOutButton"
                text: qsTr("Sign out and lose them")
                highlighted: true
                flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                Material.accent: Material.Red
                onClicked: {
                    unsynced.close()
                    page.session.signOutDiscardingUnsynced()
                }
            }
        }
    }

    Connections {
        target: page.session
        function onSignOutNeedsConfirmation(pending, reason) {
            unsynced.pending = pending
            unsynced.reason = reason
            unsynced.open()
        }
    }
}
