// Records a complaint from the customer: channel, severity, description.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property ComplaintsModel complaints
    required property CustomerDetail detail
    required property string customerId

    id: dialog
    objectName: "complaintDialog"
    title: qsTr("New complaint from %1").arg(detail.name)
    acceptText: qsTr("Record")
    acceptName: "saveComplaintButton"
    errorText: complaints.errorText
    readonly property var channels: ["phone", "visit", "wechat", "email", "other"]
    readonly property var severities: ["low", "medium", "high"]
    onAboutToShow: {
        complaintChannel.currentIndex = 0
        complaintSeverity.currentIndex = 1
        complaintDescription.text = ""
    }
    onSubmitted: {
        if (complaints.add(dialog.customerId, channels[complaintChannel.currentIndex],
                           severities[complaintSeverity.currentIndex], complaintDescription.text))
            close()
    }
    Label { text: qsTr("Channel") }
    ComboBox {
        id: complaintChannel
        Accessible.name: qsTr("Channel")
        Layout.fillWidth: true
        model: [qsTr("Phone"), qsTr("During a visit"), qsTr("WeChat"), qsTr("E-mail"), qsTr("Other")]
    }
    Label { text: qsTr("Severity") }
    ComboBox {
        id: complaintSeverity
        Accessible.name: qsTr("Severity")
        objectName: "complaintSeverity"
        Layout.fillWidth: true
        model: [qsTr("Low"), qsTr("Medium"), qsTr("High")]
    }
    Label { text: qsTr("Description") }
    TextArea {
        id: complaintDescription
        Accessible.name: qsTr("Description")
        objectName: "complaintDescription"
        Layout.fillWidth: true
        Layout.preferredHeight: 96
        wrapMode: TextEdit.Wrap
    }
}
