// The Team page's return to the public pool: customers idle for N days go
// back to the pool — a dry run first (how many, which), then a confirmation.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Flickable {
    id: view

    required property Session session

    clip: true
    contentHeight: poolForm.implicitHeight + 24
    ColumnLayout {
        id: poolForm
        x: 12
        y: 12
        width: parent.width - 24
        spacing: 6
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("Customers with no visit, and no new owner, in this many days lose their owner and go to the team's public pool.")
        }
        RowLayout {
            Layout.fillWidth: true
            Label { text: qsTr("Days") }
            TextField {
                id: poolDays
                Accessible.name: qsTr("Days")
                objectName: "poolDays"
                Layout.preferredWidth: 96
                text: "90"
                inputMethodHints: Qt.ImhDigitsOnly
                onTextEdited: poolReturn.cancel()
            }
            Button {
                objectName: "poolPreviewButton"
                text: qsTr("Preview")
                flat: true
                onClicked: poolReturn.previewFor(poolDays.text)
            }
        }
        Label {
            objectName: "poolPreviewLabel"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            visible: poolReturn.previewDays >= 0
            font.bold: true
            text: qsTr("%n customer(s) would return to the pool", "", poolReturn.previewCount)
        }
        Repeater {
            model: poolReturn.preview
            delegate: Label {
                required property var modelData
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: [modelData.name, modelData.owner,
                       qsTr("idle %n day(s)", "", modelData.idleDays),
                       modelData.lastVisit && !isNaN(modelData.lastVisit)
                           ? qsTr("last visit %1").arg(Qt.formatDate(modelData.lastVisit, "yyyy-MM-dd")) : qsTr("never visited")]
                      .join(" · ")
            }
        }
        Button {
            objectName: "poolReturnButton"
            text: qsTr("Return %n to the pool", "", poolReturn.previewCount)
            highlighted: true
            flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
            visible: poolReturn.previewDays >= 0
            enabled: poolReturn.previewCount > 0
            onClicked: poolConfirm.open()
        }
        Label {
            objectName: "poolResult"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            visible: text.length > 0
            text: poolReturn.errorText.length > 0 ? poolReturn.errorText : poolReturn.resultText
            color: poolReturn.errorText.length > 0 ? Material.color(Material.Red) : Material.foreground
        }
    }

    PoolReturnController {
        id: poolReturn
        objectName: "poolReturnController"
        session: view.session
    }
    FormDialog {
        id: poolConfirm
        objectName: "poolConfirmDialog"
        title: qsTr("Return to the public pool?")
        acceptText: qsTr("Return")
        acceptName: "confirmPoolButton"
        errorText: poolReturn.errorText
        onSubmitted: {
            if (poolReturn.confirm()) close()
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("%n customer(s) idle for %1 days will lose their owner. Every rep of the team can then claim them.", "",
                       poolReturn.previewCount).arg(poolReturn.previewDays)
        }
    }
}
