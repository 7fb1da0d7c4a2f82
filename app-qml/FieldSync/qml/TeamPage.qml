// Team (managers): key-account coverage this month, visits per rep this
// week, the team's visit feed (filter by rep, period, flagged only), the
// churn-risk list, the ABC classification beside the manual level,
// reassigning customers to a rep of the team, the CSV export, and returning
// customers with no visit in N days to the public pool (preview, confirm).
// Everything is read from the local replica, offline.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    signal customerRequested(string customerId)

    title: qsTr("Team")

    TeamStats {
        id: stats
        session: page.session
    }
    FeedModel {
        id: feed
        session: page.session
    }
    ChurnModel {
        id: churn
        session: page.session
    }
    // Read once their tab is opened.
    AbcModel {
        id: abc
        session: views.currentIndex === 2 ? page.session : null
    }
    CustomersModel {
        id: pickable
        objectName: "assignCustomers"
        session: views.currentIndex === 3 ? page.session : null
        search: assignSearch.text
    }
    AssignController {
        id: assign
        objectName: "assignController"
        // The members are read from the whole replica: only while the tab is open.
        session: views.currentIndex === 3 ? page.session : null
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Pane {
            Layout.fillWidth: true
            padding: 12
            ColumnLayout {
                anchors.left: parent.left
                anchors.right: parent.right
                spacing: 6
                Label {
                    objectName: "coverageLabel"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font.bold: true
                    text: qsTr("Key-account coverage this month: %1 of %2 (%3%)")
                          .arg(stats.keyVisited).arg(stats.keyCustomers).arg(Math.round(stats.coverage * 100))
                }
                WeekChart {
                    objectName: "weekChart"
                    Layout.fillWidth: true
                    stats: stats
                }
                // Each rep's week in words, with the check-ins the server (or
                // the device, until it has) finds suspicious or cannot verify.
                Repeater {
                    model: stats.visitsThisWeek
                    RowLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        spacing: 8
                        Label {
                            Layout.preferredWidth: 80
                            text: modelData.rep.length > 0 ? modelData.rep : "—"
                            elide: Text.ElideRight
                        }
                        Label { text: qsTr("%n visit(s)", "", modelData.visits) }
                        Badge {
                            objectName: "repSuspicious"
                            visible: modelData.suspicious > 0
                            text: qsTr("%n suspicious", "", modelData.suspicious)
                            tone: Theme.danger
                        }
                        Label {
                            visible: modelData.unverified > 0
                            text: qsTr("%n unverified", "", modelData.unverified)
                            font.pixelSize: Theme.fontSmall
                            color: Material.color(Material.Grey, Material.Shade700)
                        }
                    }
                }
            }
        }

        TabBar {
            id: views
            objectName: "teamViews"
            Layout.fillWidth: true
            // Six tabs do not fit a phone: each keeps its width and the bar scrolls.
            TabButton { text: qsTr("Visit feed"); font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { text: qsTr("Churn risk (%1)").arg(churn.count); font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { objectName: "abcTab"; text: qsTr("ABC"); font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { objectName: "reassignTab"; text: qsTr("Reassign"); font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { objectName: "exportTab"; text: qsTr("Export"); font.capitalization: Font.MixedCase; width: implicitWidth }
            TabButton { objectName: "poolTab"; text: qsTr("Return to pool"); font.capitalization: Font.MixedCase; width: implicitWidth }
            // The style's bar snaps a tab to 48 px from its left edge, which
            // on a phone leaves the first tab cut off when the page opens:
            // no snapping, and scroll only to show the current tab whole.
            Component.onCompleted: {
                contentItem.snapMode = ListView.NoSnap
                contentItem.highlightRangeMode = ListView.NoHighlightRange
            }
            onCurrentIndexChanged: contentItem.positionViewAtIndex(currentIndex, ListView.Contain)
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: views.currentIndex

            TeamFeedView {
                feed: feed
                stats: stats
                onCustomerRequested: customerId => page.customerRequested(customerId)
            }

            ListView {
                id: churnList
                objectName: "churnList"
                clip: true
                model: churn
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    id: riskRow
                    required property string customerId
                    required property string name
                    Accessible.name: name
                    required property string level
                    required property string owner
                    required property var reasons
                    width: ListView.view.width
                    onClicked: page.customerRequested(customerId)
                    contentItem: ColumnLayout {
                        spacing: 2
                        Label {
                            text: [riskRow.name, riskRow.level, riskRow.owner].filter(s => s.length > 0).join(" · ")
                            font.bold: true
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: riskRow.reasons.join(" · ")
                            color: Material.color(Material.Red)
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: churnList.count === 0
                    text: qsTr("No customers at risk")
                    color: Material.color(Material.Grey)
                }
            }

            ListView {
                id: abcList
                objectName: "abcList"
                clip: true
                model: abc
                ScrollBar.vertical: ScrollBar {}
                header: Label {
                    width: ListView.view.width
                    padding: 8
                    wrapMode: Text.Wrap
                    font.pixelSize: Theme.fontSmall
                    color: Material.color(Material.Grey, Material.Shade700)
                    text: qsTr("By annual sales: A up to 75% of the total, B up to 95%, C the rest. The level set by hand is shown beside it.")
                }
                delegate: ItemDelegate {
                    id: abcRow
                    required property string customerId
                    required property string name
                    Accessible.name: name
                    required property string level
                    required property string abc
                    required property double sales
                    required property bool mismatch
                    width: ListView.view.width
                    onClicked: page.customerRequested(customerId)
                    contentItem: RowLayout {
                        spacing: 8
                        Label {
                            text: abcRow.abc
                            font.bold: true
                            font.pixelSize: Theme.fontHeading
                            Layout.preferredWidth: 24
                            color: Theme.levelColor(abcRow.abc)
                        }
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 0
                            Label { text: abcRow.name; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label {
                                text: qsTr("Sales ¥%1 · level %2").arg(Number(abcRow.sales).toLocaleString(Qt.locale(), "f", 0))
                                      .arg(abcRow.level.length > 0 ? abcRow.level : "—")
                                color: abcRow.mismatch ? Material.color(Material.Orange) : Material.color(Material.Grey, Material.Shade700)
                                font.pixelSize: Theme.fontSmall
                            }
                        }
                    }
                }
            }

            ColumnLayout {
                spacing: 0
                TextField {
                    id: assignSearch
                    objectName: "assignSearch"
                    Layout.fillWidth: true
                    Layout.margins: 8
                    placeholderText: qsTr("Search customers (name, pinyin, phone)")
                    Accessible.name: placeholderText
                }
                ListView {
                    id: assignList
                    objectName: "assignList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: pickable
                    ScrollBar.vertical: ScrollBar {}
                    delegate: CheckDelegate {
                        id: pickRow
                        required property string customerId
                        required property string name
                        required property string owner
                        required property string level
                        width: ListView.view.width
                        text: [name, level, owner.length > 0 ? owner : qsTr("Public pool")].filter(s => s.length > 0).join(" · ")
                        checked: assign.selected.indexOf(customerId) >= 0
                        onClicked: assign.toggle(customerId)
                    }
                }
                Pane {
                    Layout.fillWidth: true
                    padding: 8
                    ColumnLayout {
                        anchors.left: parent.left
                        anchors.right: parent.right
                        RowLayout {
                            Layout.fillWidth: true
                            Label { text: qsTr("To") }
                            ComboBox {
                                id: repBox
                                Accessible.name: qsTr("To")
                                objectName: "assignRep"
                                Layout.fillWidth: true
                                model: assign.members
                            }
                            Button {
                                objectName: "assignButton"
                                text: qsTr("Assign %n", "", assign.selectedCount)
                                highlighted: true
                                flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                                enabled: assign.selectedCount > 0 && repBox.currentIndex >= 0
                                onClicked: assign.assign(repBox.currentText)
                            }
                        }
                        Label {
                            objectName: "assignResult"
                            Layout.fillWidth: true
                            wrapMode: Text.Wrap
                            visible: text.length > 0
                            text: assign.errorText.length > 0 ? assign.errorText : assign.resultText
                            color: assign.errorText.length > 0 ? Material.color(Material.Red) : Material.foreground
                        }
                    }
                }
            }

            ExportView { session: page.session }

            PoolReturnView { session: page.session }
        }
    }
}
