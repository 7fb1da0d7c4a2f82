// The team's visits this week, day by day: one column a day (Monday first),
// each rep's check-ins stacked in the rep's colour, the day's total above
// it, the count axis on the left with its gridlines, the days below, and a
// legend. Drawn with plain items (Debian's Qt has no chart module).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

ColumnLayout {
    id: chart

    required property TeamStats stats
    // The reps' colours, by their place in stats.visitsThisWeek.
    readonly property var repPalette: [Material.Indigo, Material.Teal, Material.Orange, Material.Purple,
                                    Material.Pink, Material.Brown, Material.Cyan, Material.Lime]
    readonly property int axisTop: Math.max(1, stats.maxTeamDay)
    readonly property real plotHeight: 90
    // Axis marks: 0 and the top, and half way once that is a count of its own.
    readonly property var ticks: axisTop >= 4 ? [0, Math.round(axisTop / 2), axisTop] : [0, axisTop]

    function repColor(i) { return Material.color(repPalette[i % repPalette.length]) }

    spacing: 4
    visible: stats.visitsThisWeek.length > 0
    Accessible.role: Accessible.Chart
    Accessible.name: qsTr("Visits per day this week")

    Label {
        text: qsTr("Visits per day this week")
        font.bold: true
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 6
        // The count axis: its title, then 0, half and the top.
        Label {
            text: qsTr("Visits")
            rotation: -90
            color: Material.color(Material.Grey, Material.Shade700)
            Layout.preferredWidth: 16
        }
        Item {
            Layout.preferredWidth: 24
            Layout.preferredHeight: chart.plotHeight + 20
            Repeater {
                model: chart.ticks
                Label {
                    required property int modelData
                    anchors.right: parent.right
                    y: 20 + chart.plotHeight * (1 - modelData / chart.axisTop) - height / 2
                    text: modelData
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
        Item {
            id: plot
            objectName: "weekChartPlot"
            Layout.fillWidth: true
            Layout.preferredHeight: chart.plotHeight + 20
            Repeater {
                model: chart.ticks
                Rectangle {
                    required property int modelData
                    width: plot.width
                    height: 1
                    y: 20 + chart.plotHeight * (1 - modelData / chart.axisTop)
                    color: Material.color(Material.Grey, Material.Shade300)
                }
            }
            Row {
                anchors.bottom: parent.bottom
                height: chart.plotHeight + 20
                Repeater {
                    model: 7
                    Item {
                        id: day
                        required property int index
                        readonly property int total: chart.stats.teamDays[index] || 0
                        width: plot.width / 7
                        height: parent.height
                        Label {
                            objectName: "dayTotal" + day.index
                            anchors.horizontalCenter: parent.horizontalCenter
                            anchors.bottom: bars.top
                            text: day.total
                            font.pixelSize: Theme.fontSmall
                            visible: day.total > 0
                        }
                        Item {
                            id: bars
                            anchors.bottom: parent.bottom
                            anchors.horizontalCenter: parent.horizontalCenter
                            width: Math.min(28, parent.width * 0.6)
                            height: chart.plotHeight * day.total / chart.axisTop
                            // Each rep's segment on top of the reps before it.
                            Repeater {
                                model: chart.stats.visitsThisWeek
                                Rectangle {
                                    required property var modelData
                                    required property int index
                                    width: bars.width
                                    height: chart.plotHeight * modelData.days[day.index] / chart.axisTop
                                    anchors.bottom: parent.bottom
                                    anchors.bottomMargin: chart.plotHeight * modelData.bases[day.index] / chart.axisTop
                                    color: chart.repColor(index)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // The day axis.
    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: 46
        spacing: 0
        Repeater {
            model: chart.stats.dayLabels
            Label {
                required property string modelData
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                horizontalAlignment: Text.AlignHCenter
                text: modelData
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
        }
    }
    Flow {
        objectName: "weekChartLegend"
        Layout.fillWidth: true
        spacing: 12
        Repeater {
            model: chart.stats.visitsThisWeek
            Row {
                required property var modelData
                required property int index
                spacing: 4
                Rectangle {
                    width: 10
                    height: 10
                    anchors.verticalCenter: parent.verticalCenter
                    color: chart.repColor(index)
                }
                Label {
                    text: modelData.rep.length > 0 ? modelData.rep : "—"
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
