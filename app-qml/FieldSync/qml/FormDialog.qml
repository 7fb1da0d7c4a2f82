// A modal form over the window: the fields go in its body (scrolls when the
// window is short), the error of the last attempt above the buttons, and
// "Cancel" / the accept button. `submitted` fires on accept; the page calls
// its model and closes the form only when the model took the input.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Dialog {
    id: dialog

    default property alias fields: column.data
    property string errorText: ""
    property string acceptText: qsTr("Save")
    property string acceptName: ""
    signal submitted()

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 16 : 480, 520)
    height: Math.min(parent ? parent.height - 16 : 640, column.implicitHeight + 180)
    modal: true
    padding: 16
    // A plain background: Material draws a dialog's through an elevation
    // layer, which the software scene graph (offscreen renderings) leaves out.
    background: Rectangle {
        color: dialog.Material.dialogColor
        radius: 4
        border.color: Material.color(Material.Grey, Material.Shade300)
    }

    contentItem: Flickable {
        clip: true
        contentHeight: column.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        ColumnLayout {
            id: column
            width: parent.width
            spacing: 6
        }
    }

    footer: Pane {
        padding: 8
        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            Label {
                Layout.fillWidth: true
                visible: dialog.errorText.length > 0
                text: dialog.errorText
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
            }
            RowLayout {
                Layout.alignment: Qt.AlignRight
                Button {
                    text: qsTr("Cancel")
                    flat: true
                    onClicked: dialog.close()
                }
                Button {
                    objectName: dialog.acceptName
                    text: dialog.acceptText
                    highlighted: true
                    flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                    onClicked: dialog.submitted()
                }
            }
        }
    }
}
