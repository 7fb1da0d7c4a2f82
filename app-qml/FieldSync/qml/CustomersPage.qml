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
    NewCustomerController {
        id: newCustomer
        objectName: "newCustomerController"
        session: page.session
    }

    header: Pane {
        padding: 8
        visible: page.wide || page.selectedId.length === 0
        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 4
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    objectName: "customerSearch"
                    Accessible.name: placeholderText
                    Layout.fillWidth: true
                    placeholderText: qsTr("Search by name, pinyin, initials or phone")
                    inputMethodHints: Qt.ImhNoPredictiveText
                    onTextChanged: customers.search = text
                }
                Button {
                    objectName: "newCustomerButton"
                    text: qsTr("New customer")
                    highlighted: true
                    flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                    onClicked: {
                        newCustomerForm.active = true
                        newCustomerForm.item.open()
                    }
                }
            }
            Flow {
                Layout.fillWidth: true
                spacing: 8
                ComboBox {
                    objectName: "levelFilter"
                    Accessible.name: qsTr("Level")
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
                    Accessible.name: qsTr("Sort")
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
            onArchived: page.selectedId = ""
        }
    }

    // New customer: the duplicates already on this device are shown before
    // anything is saved (撞单); the user opens one of them or saves anyway.
    // Built on first use, so the list's start-up pays nothing for it.
    Loader {
        id: newCustomerForm
        active: false
        sourceComponent: newCustomerComponent
    }
    Component {
        id: newCustomerComponent
        FormDialog {
            id: newCustomerDialog
            objectName: "newCustomerDialog"
            title: qsTr("New customer")
            readonly property bool warned: newCustomer.duplicates.length > 0
            acceptText: warned ? qsTr("Save anyway") : qsTr("Save")
            acceptName: "saveNewCustomerButton"
            errorText: newCustomer.errorText
            readonly property var levels: ["", "A", "B", "C", "D"]
            readonly property var stages: [""].concat(newCustomer.lifecycleValues())
            onAboutToShow: {
                newCustomer.reset()
                for (const f of [ncName, ncPhone, ncAddress, ncRegion, ncTags, ncContactName, ncContactTitle, ncContactPhone])
                    f.text = ""
                ncLevel.currentIndex = 0
                ncStage.currentIndex = 1  // lead: a new customer usually is one
            }
            onSubmitted: {
                if (newCustomer.save({ name: ncName.text, phone: ncPhone.text, address: ncAddress.text,
                                       region: ncRegion.text, level: levels[ncLevel.currentIndex],
                                       lifecycle: stages[ncStage.currentIndex], tags: ncTags.text,
                                       contactName: ncContactName.text, contactTitle: ncContactTitle.text,
                                       contactPhone: ncContactPhone.text }, warned)) {
                    close()
                    page.selectedId = newCustomer.createdId
                }
            }

            ColumnLayout {
                objectName: "duplicateWarning"
                Layout.fillWidth: true
                visible: newCustomerDialog.warned
                spacing: 2
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Material.color(Material.Orange, Material.Shade900)
                    font.bold: true
                    text: qsTr("%n similar customer(s) already on this device. Open one, or save anyway.", "",
                               newCustomer.duplicates.length)
                }
                Repeater {
                    model: newCustomer.duplicates
                    delegate: RowLayout {
                        id: dupRow
                        required property var modelData
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            wrapMode: Text.Wrap
                            text: [dupRow.modelData.name, dupRow.modelData.ownerLabel,
                                   dupRow.modelData.reasonLabel + (dupRow.modelData.detail.length > 0 ? " (" + dupRow.modelData.detail + ")" : "")]
                                  .join(" · ")
                        }
                        Button {
                            objectName: "openDuplicateButton"
                            text: qsTr("Open")
                            flat: true
                            onClicked: {
                                newCustomerDialog.close()
                                page.selectedId = dupRow.modelData.id
                            }
                        }
                    }
                }
            }
            Label { text: qsTr("Name") }
            TextField { id: ncName; objectName: "newCustomerName"; Layout.fillWidth: true; Accessible.name: qsTr("Name") }
            Label { text: qsTr("Phone") }
            TextField { id: ncPhone; objectName: "newCustomerPhone"; Layout.fillWidth: true; inputMethodHints: Qt.ImhDialableCharactersOnly; Accessible.name: qsTr("Phone") }
            Label { text: qsTr("Address") }
            TextField { id: ncAddress; objectName: "newCustomerAddress"; Layout.fillWidth: true; Accessible.name: qsTr("Address") }
            Label { text: qsTr("Region") }
            TextField { id: ncRegion; objectName: "newCustomerRegion"; Layout.fillWidth: true; Accessible.name: qsTr("Region") }
            Label { text: qsTr("Level") }
            ComboBox {
                id: ncLevel
                Accessible.name: qsTr("Level")
                objectName: "newCustomerLevel"
                Layout.fillWidth: true
                model: newCustomerDialog.levels.map(l => l.length > 0 ? l : qsTr("None"))
            }
            Label { text: qsTr("Lifecycle") }
            ComboBox {
                id: ncStage
                Accessible.name: qsTr("Lifecycle")
                Layout.fillWidth: true
                model: newCustomerDialog.stages.map(v => v.length > 0 ? newCustomer.lifecycleName(v) : qsTr("None"))
            }
            Label { text: qsTr("Tags (separated by commas)") }
            TextField { id: ncTags; objectName: "newCustomerTags"; Layout.fillWidth: true; Accessible.name: qsTr("Tags (separated by commas)") }
            Label { text: qsTr("First contact"); font.bold: true }
            TextField { id: ncContactName; objectName: "newContactName"; Layout.fillWidth: true; placeholderText: qsTr("Name"); Accessible.name: qsTr("Contact name") }
            TextField { id: ncContactTitle; objectName: "newContactTitle"; Layout.fillWidth: true; placeholderText: qsTr("Title"); Accessible.name: qsTr("Contact title") }
            TextField { id: ncContactPhone; objectName: "newContactPhone"; Layout.fillWidth: true; placeholderText: qsTr("Phone"); inputMethodHints: Qt.ImhDialableCharactersOnly; Accessible.name: qsTr("Contact phone") }
        }
    }
}
