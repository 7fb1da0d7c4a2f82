// One caption and its value on a row ("电话  0571-8888 2323"): the caption in
// a fixed column, quiet; the value wraps. Hidden while the value is empty.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

RowLayout {
    id: row

    required property string caption
    property string value: ""
    // The value label's objectName (tests and accessibility find it by it).
    property string valueName: ""
    property int valueFormat: Text.PlainText
    signal linkActivated(string link)

    Layout.fillWidth: true
    spacing: Theme.spacingLarge
    visible: value.length > 0

    Label {
        Layout.preferredWidth: 72
        Layout.alignment: Qt.AlignTop
        text: row.caption
        color: Theme.muted
        wrapMode: Text.Wrap
    }
    Label {
        objectName: row.valueName
        Layout.fillWidth: true
        text: row.value
        textFormat: row.valueFormat
        wrapMode: Text.Wrap
        Accessible.name: row.caption + " " + row.value
        onLinkActivated: link => row.linkActivated(link)
    }
}
