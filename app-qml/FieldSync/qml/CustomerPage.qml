// One customer (客户档案): profile, contacts (tap to call or write), the visit
// timeline with its flags, tasks, complaints, the field history and this
// customer's conflicts. "Start visit" opens the Visit page on a visit planned
// now. Forms (profile, contact, plan a visit, new complaint, void a visit)
// open over the page; their models write through the domain and say why
// they refuse.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    property string customerId: ""
    property bool showBack: false
    signal backRequested()
    signal visitRequested(string customerId)
    signal visitOpened(string visitId)
    signal conflictsRequested()
    signal archived()

    // The models read only while a customer is shown (an empty ConflictsModel
    // row filter would mean every conflict).
    readonly property Session attached: customerId.length > 0 ? session : null
    // A tel: URI carries digits (and a leading +) only: "010-6666 1111" → "01066661111".
    function dialable(phone) { return phone.replace(/[^0-9+]/g, "") }

    CustomerDetail {
        id: detail
        session: page.attached
        customerId: page.customerId
    }
    ContactsModel {
        id: contacts
        objectName: "customerContacts"
        session: page.attached
        customerId: page.customerId
    }
    VisitsModel {
        id: visits
        objectName: "customerVisits"
        session: page.attached
        customerId: page.customerId
    }
    TasksModel {
        id: tasks
        session: page.attached
        customerId: page.customerId
    }
    ComplaintsModel {
        id: complaints
        objectName: "customerComplaints"
        session: page.attached
        customerId: page.customerId
    }
    FieldHistoryModel {
        id: history
        // Read only while the history is shown.
        session: historyButton.checked ? page.attached : null
        customerId: page.customerId
    }
    ConflictsModel {
        id: conflicts
        session: page.attached
        rowFilter: page.customerId
    }

    header: ToolBar {
        visible: page.showBack
        Material.foreground: Theme.onBar
        background: Rectangle {
            implicitHeight: 48
            color: Material.color(Material.Indigo)
        }
        ToolButton {
            objectName: "customerBackButton"
            text: qsTr("‹ Back")
            onClicked: page.backRequested()
        }
    }

    Label {
        anchors.centerIn: parent
        visible: !detail.found
        text: page.customerId.length > 0 ? qsTr("This customer is not on this device") : qsTr("Select a customer")
        color: Material.color(Material.Grey)
    }

    Flickable {
        anchors.fill: parent
        visible: detail.found
        clip: true
        contentHeight: column.implicitHeight + 32
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            x: 16
            y: 16
            width: parent.width - 32
            spacing: 4

            CustomerHeader { detail: detail; Layout.fillWidth: true }

            Flow {
                Layout.fillWidth: true
                spacing: 4
                Button {
                    objectName: "startVisitButton"
                    text: qsTr("Start visit")
                    highlighted: true
                    flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                    enabled: !detail.archived
                    onClicked: page.visitRequested(page.customerId)
                }
                Button {
                    objectName: "planVisitButton"
                    text: qsTr("Plan visit")
                    flat: true
                    enabled: !detail.archived
                    onClicked: planDialog.open()
                }
                Button {
                    objectName: "newComplaintButton"
                    text: qsTr("New complaint")
                    flat: true
                    enabled: !detail.archived
                    onClicked: complaintDialog.open()
                }
            }

            RowLayout {
                Layout.fillWidth: true
                SectionHeader { title: qsTr("Profile"); Layout.fillWidth: true }
                Button {
                    objectName: "editProfileButton"
                    text: qsTr("Edit")
                    flat: true
                    visible: detail.editable
                    onClicked: profileDialog.open()
                }
                Button {
                    objectName: "archiveCustomerButton"
                    text: qsTr("Archive")
                    flat: true
                    visible: detail.canArchive
                    onClicked: archiveDialog.open()
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 4
                CaptionValue {
                    caption: qsTr("Phone")
                    value: detail.phone.length > 0 ? "<a href=\"tel:%1\">%2</a>".arg(page.dialable(detail.phone)).arg(detail.phone) : ""
                    valueName: "customerPhone"
                    valueFormat: Text.StyledText
                    onLinkActivated: link => Qt.openUrlExternally(link)
                }
                CaptionValue { caption: qsTr("Address"); value: detail.address }
                CaptionValue { caption: qsTr("Region"); value: detail.region }
                CaptionValue { caption: qsTr("Industry"); value: detail.industry }
                CaptionValue { caption: qsTr("Size"); value: detail.size.length > 0 ? detail.sizeLabel : "" }
                CaptionValue { caption: qsTr("Source"); value: detail.source }
                CaptionValue {
                    caption: qsTr("Annual sales")
                    value: detail.annualSales >= 0 ? qsTr("¥%1").arg(Number(detail.annualSales).toLocaleString(Qt.locale(), "f", 0)) : ""
                    valueName: "customerAnnualSales"
                }
                CaptionValue { caption: qsTr("Location"); value: detail.locationText; valueName: "customerLocation" }
                CaptionValue { caption: qsTr("Tags"); value: detail.tags.join(" · ") }
                CaptionValue { caption: qsTr("Notes"); value: detail.notes }
            }

            RowLayout {
                Layout.fillWidth: true
                SectionHeader { title: qsTr("Contacts"); count: contacts.count; Layout.fillWidth: true }
                Button {
                    objectName: "addContactButton"
                    text: qsTr("Add contact")
                    flat: true
                    visible: detail.editable
                    onClicked: contactDialog.edit("", "", "", "", "")
                }
            }
            Repeater {
                model: contacts
                delegate: ContactRow {
                    editable: detail.editable
                    onMakePrimaryRequested: index => contacts.setPrimary(index)
                    onEditRequested: (contactId, name, title, phone, email) => contactDialog.edit(contactId, name, title, phone, email)
                    onArchiveRequested: (index, name) => archiveContactDialog.ask(index, name)
                }
            }

            SectionHeader { title: qsTr("Visits"); count: visits.count }
            Label {
                visible: visits.count === 0
                text: qsTr("No visits yet")
                color: Material.color(Material.Grey)
            }
            ListView {
                objectName: "visitTimeline"
                Layout.fillWidth: true
                Layout.preferredHeight: contentHeight
                interactive: false
                model: visits
                delegate: VisitTimelineRow {
                    canVoid: page.session && page.session.isManager
                    onOpened: visitId => page.visitOpened(visitId)
                    onVoidRequested: index => voidDialog.ask(index)
                }
            }

            SectionHeader { title: qsTr("Tasks"); count: tasks.count }
            Repeater {
                model: tasks
                delegate: TaskRow { onCompleteRequested: index => tasks.complete(index) }
            }

            SectionHeader { title: qsTr("Complaints"); count: complaints.count }
            Label {
                visible: complaints.errorText.length > 0
                text: complaints.errorText
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Repeater {
                model: complaints
                delegate: ComplaintRow { onReopenRequested: index => complaints.reopen(index) }
            }

            RowLayout {
                Layout.fillWidth: true
                SectionHeader { title: qsTr("History"); Layout.fillWidth: true }
                Button {
                    id: historyButton
                    objectName: "historyButton"
                    checkable: true
                    flat: true
                    text: checked ? qsTr("Hide") : qsTr("Show")
                }
            }
            Label {
                visible: historyButton.checked
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                font.pixelSize: Theme.fontSmall
                color: Material.color(Material.Grey, Material.Shade700)
                text: qsTr("Each field's current value, when it was written and by which device. This device keeps no older values; values overwritten by a concurrent edit are listed last.")
            }
            Repeater {
                model: history
                delegate: FieldHistoryRow {}
            }

            SectionHeader { title: qsTr("Conflicts"); count: conflicts.count; visible: conflicts.count > 0 }
            Repeater {
                model: conflicts
                delegate: ItemDelegate {
                    required property string fieldLabel
                    required property string currentValue
                    required property string otherValue
                    Layout.fillWidth: true
                    text: qsTr("%1: %2 (other value: %3)").arg(fieldLabel).arg(currentValue).arg(otherValue)
                    onClicked: page.conflictsRequested()
                }
            }
        }
    }

    ProfileDialog { id: profileDialog; detail: detail }
    ContactDialog { id: contactDialog; contacts: contacts }
    PlanVisitDialog { id: planDialog; visits: visits; detail: detail }
    ComplaintDialog { id: complaintDialog; complaints: complaints; detail: detail; customerId: page.customerId }
    VoidVisitDialog { id: voidDialog; visits: visits }
    ArchiveCustomerDialog { id: archiveDialog; detail: detail; onArchived: page.archived() }
    ArchiveContactDialog { id: archiveContactDialog; contacts: contacts }
}
