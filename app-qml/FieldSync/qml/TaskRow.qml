// One task of the customer: ticked when done (ticking completes it), its due
// date, red when overdue.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

RowLayout {
    id: taskRow

    signal completeRequested(int index)

    required property int index
    required property string title
    required property var due
    required property bool done
    required property bool overdue
    Layout.fillWidth: true
    CheckBox {
        checked: taskRow.done
        enabled: !taskRow.done
        onToggled: if (checked) taskRow.completeRequested(taskRow.index)
    }
    Label {
        Layout.fillWidth: true
        text: taskRow.title + (taskRow.due && !isNaN(taskRow.due) ? " · " + Qt.formatDate(taskRow.due, "yyyy-MM-dd") : "")
        font.strikeout: taskRow.done
        color: taskRow.overdue ? Material.color(Material.Red) : Material.foreground
        elide: Text.ElideRight
    }
}
