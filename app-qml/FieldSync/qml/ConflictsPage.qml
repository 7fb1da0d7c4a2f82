// Conflicts to resolve: both values shown, keep one or write another.
// Wide windows: list and detail side by side; narrow: the detail replaces the
// list until "back".
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    property bool wide: false
    property var selected: null

    title: qsTr("Conflicts")

    ConflictsModel {
        id: conflicts
        session: page.session
        // A sync that ends while a conflict is open reloads the list: keep it
        // open (with its fresh values) unless it is gone (resolved elsewhere).
        onModelReset: {
            if (page.selected === null) return
            const row = conflicts.rowOf(page.selected.entity, page.selected.rowId, page.selected.field)
            page.selected = row >= 0 ? conflicts.entryAt(row) : null
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: list
            objectName: "conflictList"
            Layout.fillHeight: true
            Layout.fillWidth: !page.wide
            Layout.preferredWidth: page.wide ? 380 : -1
            visible: page.wide || page.selected === null
            clip: true
            model: conflicts
            delegate: ConflictDelegate {
                width: ListView.view.width
                highlighted: page.selected !== null && page.selected.row === index
                onClicked: page.selected = conflicts.entryAt(index)
            }
            Label {
                objectName: "noConflictsLabel"
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No conflicts to resolve")
                color: Material.color(Material.Grey)
            }
        }
        ToolSeparator {
            Layout.fillHeight: true
            orientation: Qt.Vertical
            visible: page.wide
        }
        ConflictDetail {
            objectName: "conflictDetail"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: page.wide || page.selected !== null
            model: conflicts
            entry: page.selected
            showBack: !page.wide
            onDone: page.selected = null
        }
    }
}
