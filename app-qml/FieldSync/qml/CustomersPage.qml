// Customers: search as you type (name, pinyin, initials, phone), filters by
// level, overdue and the public pool, sorted by name (pinyin order), last
// visit or level. Pages of 50 load as the list scrolls. Tapping a customer
// opens its page: beside the list on wide windows, instead of it on phones.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    property bool wide: false
    property string selectedId: ""
    signal visitRequested(string customerId)
    signal visitOpened(string visitId)
    signal conflictsRequested()

    function showCustomer(id) { selectedId = id }

    title: qsTr("Customers")

    CustomersModel {
        id: customers
        session: page.session
    }

    header: Pane {
        padding: 8
        visible: page.wide || page.selectedId.length === 0
        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 4
            TextField {
                objectName: "customerSearch"
                Layout.fillWidth: true
                placeholderText: qsTr("Search by name, pinyin, initials or phone")
                inputMethodHints: Qt.ImhNoPredictiveText
                onTextChanged: customers.search = text
            }
            Flow {
                Layout.fillWidth: true
                spacing: 8
                ComboBox {
                    objectName: "levelFilter"
                    textRole: "text"
                    valueRole: "value"
                    model: [
                        { value: "", text: qsTr("All levels") },
                        { value: "A", text: qsTr("Level A") },
                        { value: "B", text: qsTr("Level B") },
                        { value: "C", text: qsTr("Level C") },
                        { value: "D", text: qsTr("Level D") }
                    ]
                    onActivated: customers.level = currentValue
                }
                CheckBox {
                    objectName: "overdueFilter"
                    text: qsTr("Overdue")
                    onToggled: customers.overdueOnly = checked
                }
                CheckBox {
                    objectName: "poolFilter"
                    text: qsTr("Public pool")
                    onToggled: customers.poolOnly = checked
                }
                ComboBox {
                    objectName: "sortBox"
                    textRole: "text"
                    valueRole: "value"
                    model: [
                        { value: "name", text: qsTr("By name") },
                        { value: "last-visit", text: qsTr("Longest unvisited") },
                        { value: "level", text: qsTr("By level") }
                    ]
                    onActivated: customers.sort = currentValue
                }
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: list
            objectName: "customerList"
            Layout.fillHeight: true
            Layout.fillWidth: !page.wide
            Layout.preferredWidth: page.wide ? 400 : -1
            visible: page.wide || page.selectedId.length === 0
            clip: true
            model: customers
            ScrollBar.vertical: ScrollBar {}
            delegate: CustomerDelegate {
                width: ListView.view.width
                highlighted: page.wide && customerId === page.selectedId
                onClicked: page.selectedId = customerId
                onClaimRequested: row => customers.claim(row)
            }
            header: Label {
                objectName: "customerCount"
                width: ListView.view.width
                padding: 8
                text: qsTr("%n customer(s)", "", customers.count)
                color: Material.color(Material.Grey, Material.Shade700)
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: customers.errorText.length > 0 ? customers.errorText : qsTr("No customers found")
                color: Material.color(Material.Grey)
            }
        }
        ToolSeparator {
            Layout.fillHeight: true
            orientation: Qt.Vertical
            visible: page.wide
        }
        CustomerPage {
            objectName: "customerPage"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: page.wide || page.selectedId.length > 0
            session: page.session
            customerId: page.selectedId
            showBack: !page.wide
            onBackRequested: page.selectedId = ""
            onVisitRequested: id => page.visitRequested(id)
            onVisitOpened: id => page.visitOpened(id)
            onConflictsRequested: page.conflictsRequested()
        }
    }
}
