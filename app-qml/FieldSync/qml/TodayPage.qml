// Today (今日): planned visits, follow-ups due or overdue, key customers due
// a visit. Tap a planned visit to open it, anything else to open its customer.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    signal customerRequested(string customerId)
    signal visitOpened(string visitId)

    title: qsTr("Today")

    TodayModel {
        id: today
        session: page.session
    }

    ListView {
        id: list
        objectName: "todayList"
        anchors.fill: parent
        clip: true
        model: today
        ScrollBar.vertical: ScrollBar {}
        section.property: "sectionLabel"
        section.delegate: SectionHeader {
            required property string section
            leftPadding: 16
            title: section
        }
        delegate: ItemDelegate {
            id: row
            required property string section
            required property string title
            required property string detail
            Accessible.name: title + " " + detail
            required property var when
            required property bool overdue
            required property string customerId
            required property string visitId
            width: ListView.view.width
            onClicked: row.visitId.length > 0 ? page.visitOpened(row.visitId) : page.customerRequested(row.customerId)
            contentItem: RowLayout {
                spacing: 12
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label { text: row.title; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                    Label {
                        text: [row.section !== "customers" && row.when && !isNaN(row.when)
                                   ? Qt.formatDateTime(row.when, row.section === "visits" ? "HH:mm" : "MM-dd HH:mm") : "",
                               row.detail].filter(s => s.length > 0).join(" · ")
                        color: Material.color(Material.Grey, Material.Shade700)
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                Badge {
                    visible: row.overdue
                    text: qsTr("Overdue")
                    tone: Theme.danger
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("Nothing due today")
            color: Material.color(Material.Grey)
        }
    }
}
