// The window: sign-in until a device token exists, then the main layout with
// the status bar always on top. Narrow windows (phones) get a tab bar at the
// bottom; wide ones (>= 900 px: tablets, desktops) a navigation column beside
// the page, and pages show master and detail side by side.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

ApplicationWindow {
    id: window

    required property Session session
    required property Translator translator

    readonly property bool wide: width >= 900
    // The main pages, in navigation order; Team for managers only.
    readonly property var allPages: [
        { key: "today", title: qsTr("Today") },
        { key: "customers", title: qsTr("Customers") },
        { key: "complaints", title: qsTr("Complaints") },
        { key: "team", title: qsTr("Team"), managers: true },
        { key: "conflicts", title: qsTr("Conflicts") },
        { key: "settings", title: qsTr("Settings") }
    ]
    readonly property var pages: allPages.filter(p => !p.managers || window.session.isManager)
    property string currentPage: "today"
    // Complaints and Team read every complaint / the whole team's visits:
    // built on their first visit only, so opening the app does not pay for them.
    property bool complaintsOpened: false
    property bool teamOpened: false
    onCurrentPageChanged: {
        if (currentPage === "complaints") complaintsOpened = true
        if (currentPage === "team") teamOpened = true
    }

    // Tests and the screenshot tool navigate with these.
    function showPage(key) { currentPage = key }
    function showRejected() { rejectedPopup.open() }
    function showCustomer(customerId) {
        currentPage = "customers"
        customersPage.showCustomer(customerId)
    }
    // A visit at this customer now: planned, then shown to check in.
    function startVisit(customerId) {
        if (visitPage.controller.start(customerId)) visitPopup.open()
    }
    function openVisit(visitId) {
        visitPage.controller.open(visitId)
        visitPopup.open()
    }

    width: 390
    height: 844
    visible: true
    title: qsTr("fieldsync")
    font.family: "Noto Sans CJK SC"
    Material.theme: Material.Light
    Material.primary: Material.Indigo
    Material.accent: Material.Teal

    header: StatusBar {
        visible: window.session.signedIn
        sync: window.session.sync
        onRejectedClicked: rejectedPopup.open()
    }

    footer: TabBar {
        id: tabs
        objectName: "tabBar"
        visible: window.session.signedIn && !window.wide
        currentIndex: window.pages.findIndex(p => p.key === window.currentPage)
        Repeater {
            model: window.pages
            TabButton {
                required property var modelData
                text: modelData.title
                // Six tabs (a manager's) on a 390 px phone: English titles fit
                // whole only in mixed case, a smaller size and narrow padding,
                // and a title still too wide shrinks to fit rather than being
                // cut ("Complaints" was "Comp…").
                font.capitalization: Font.MixedCase
                font.pixelSize: Theme.fontSmall
                leftPadding: 2
                rightPadding: 2
                contentItem: Label {
                    objectName: "tabTitle"
                    text: parent.text
                    font: parent.font
                    color: parent.checked ? parent.Material.accentColor : parent.Material.foreground
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 9
                    elide: Text.ElideRight
                }
                onClicked: window.currentPage = modelData.key
            }
        }
    }

    SignInPage {
        anchors.fill: parent
        visible: !window.session.signedIn
        session: window.session
    }

    RowLayout {
        anchors.fill: parent
        visible: window.session.signedIn
        spacing: 0

        // Navigation column (wide windows only).
        Pane {
            Layout.fillHeight: true
            Layout.preferredWidth: 220
            visible: window.wide
            padding: 0
            Material.elevation: 1
            ListView {
                objectName: "navigation"
                anchors.fill: parent
                model: window.pages
                delegate: ItemDelegate {
                    required property var modelData
                    width: ListView.view.width
                    text: modelData.title
                    highlighted: window.currentPage === modelData.key
                    onClicked: window.currentPage = modelData.key
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            // Indexed over every page (the Team page is in the stack for
            // everybody, reachable only by managers).
            currentIndex: Math.max(0, window.allPages.findIndex(p => p.key === window.currentPage))

            TodayPage {
                session: window.session
                onCustomerRequested: id => window.showCustomer(id)
                onVisitOpened: id => window.openVisit(id)
            }
            CustomersPage {
                id: customersPage
                session: window.session
                wide: window.wide
                onVisitRequested: id => window.startVisit(id)
                onVisitOpened: id => window.openVisit(id)
                onConflictsRequested: window.showPage("conflicts")
            }
            Loader {
                active: window.complaintsOpened
                sourceComponent: ComplaintsPage {
                    session: window.session
                    onCustomerRequested: id => window.showCustomer(id)
                }
            }
            Loader {
                // Only for managers, and only once they open it.
                active: window.session.isManager && window.teamOpened
                sourceComponent: TeamPage {
                    session: window.session
                    onCustomerRequested: id => window.showCustomer(id)
                }
            }
            ConflictsPage {
                session: window.session
                wide: window.wide
            }
            SettingsPage {
                session: window.session
                translator: window.translator
            }
        }
    }

    Popup {
        id: rejectedPopup
        objectName: "rejectedPopup"
        parent: Overlay.overlay
        modal: true
        width: Math.min(window.width, 720)
        height: window.height * (window.wide ? 0.8 : 1)
        x: (window.width - width) / 2
        y: (window.height - height) / 2
        padding: 0
        RejectedPage {
            anchors.fill: parent
            session: window.session
            onCloseRequested: rejectedPopup.close()
        }
    }

    Popup {
        id: visitPopup
        objectName: "visitPopup"
        parent: Overlay.overlay
        modal: true
        width: Math.min(window.width, 720)
        height: window.height * (window.wide ? 0.9 : 1)
        x: (window.width - width) / 2
        y: (window.height - height) / 2
        padding: 0
        VisitPage {
            id: visitPage
            objectName: "visitPage"
            anchors.fill: parent
            session: window.session
            onCloseRequested: visitPopup.close()
        }
    }
}
