// Edits a customer's profile: every field of CustomerDetail, written
// through it (only the changed fields are written).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property CustomerDetail detail

    id: dialog
    objectName: "profileDialog"
    title: qsTr("Edit profile")
    acceptName: "saveProfileButton"
    errorText: detail.errorText
    readonly property var levels: ["", "A", "B", "C", "D"]
    onAboutToShow: {
        nameField.text = detail.name
        phoneField.text = detail.phone
        addressField.text = detail.address
        regionField.text = detail.region
        industryField.text = detail.industry
        sizeBox.currentIndex = Math.max(0, sizeBox.values.indexOf(detail.size))
        sourceField.text = detail.source
        salesField.text = detail.annualSalesText
        locationField.text = detail.locationText
        levelBox.currentIndex = Math.max(0, levels.indexOf(detail.level))
        lifecycleBox.currentIndex = Math.max(0, lifecycleBox.values.indexOf(detail.lifecycle))
        tagsField.text = detail.tags.join(", ")
        notesField.text = detail.notes
    }
    onSubmitted: {
        if (detail.save({ name: nameField.text, phone: phoneField.text, address: addressField.text,
                          region: regionField.text, industry: industryField.text,
                          size: sizeBox.values[sizeBox.currentIndex], source: sourceField.text,
                          annualSales: salesField.text, location: locationField.text,
                          level: levels[levelBox.currentIndex], lifecycle: lifecycleBox.values[lifecycleBox.currentIndex],
                          tags: tagsField.text, notes: notesField.text }))
            close()
    }
    Label { text: qsTr("Name") }
    TextField { id: nameField; objectName: "profileName"; Layout.fillWidth: true; Accessible.name: qsTr("Name") }
    Label { text: qsTr("Phone") }
    TextField { id: phoneField; objectName: "profilePhone"; Layout.fillWidth: true; inputMethodHints: Qt.ImhDialableCharactersOnly; Accessible.name: qsTr("Phone") }
    Label { text: qsTr("Address") }
    TextField { id: addressField; Layout.fillWidth: true; Accessible.name: qsTr("Address") }
    Label { text: qsTr("Region") }
    TextField { id: regionField; Layout.fillWidth: true; Accessible.name: qsTr("Region") }
    Label { text: qsTr("Industry") }
    TextField { id: industryField; Layout.fillWidth: true; Accessible.name: qsTr("Industry") }
    Label { text: qsTr("Size") }
    ComboBox {
        id: sizeBox
        Accessible.name: qsTr("Size")
        objectName: "profileSize"
        Layout.fillWidth: true
        readonly property var values: [""].concat(detail.sizeValues())
        model: values.map(v => v.length > 0 ? detail.sizeName(v) : qsTr("None"))
    }
    Label { text: qsTr("Source") }
    TextField { id: sourceField; objectName: "profileSource"; Layout.fillWidth: true; Accessible.name: qsTr("Source") }
    Label { text: qsTr("Annual sales (yuan)") }
    TextField { id: salesField; objectName: "profileSales"; Layout.fillWidth: true; inputMethodHints: Qt.ImhFormattedNumbersOnly; Accessible.name: qsTr("Annual sales (yuan)") }
    Label { text: qsTr("Location (latitude, longitude)") }
    TextField { id: locationField; objectName: "profileLocation"; Layout.fillWidth: true; placeholderText: "30.2346, 120.1269"; Accessible.name: qsTr("Location (latitude, longitude)") }
    Label { text: qsTr("Level") }
    ComboBox {
        id: levelBox
        Accessible.name: qsTr("Level")
        objectName: "profileLevel"
        Layout.fillWidth: true
        model: dialog.levels.map(l => l.length > 0 ? l : qsTr("None"))
    }
    Label { text: qsTr("Lifecycle") }
    ComboBox {
        id: lifecycleBox
        Accessible.name: qsTr("Lifecycle")
        Layout.fillWidth: true
        readonly property var values: [""].concat(detail.lifecycleValues())
        model: values.map(v => v.length > 0 ? detail.lifecycleName(v) : qsTr("None"))
    }
    Label { text: qsTr("Tags (separated by commas)") }
    TextField { id: tagsField; objectName: "profileTags"; Layout.fillWidth: true; Accessible.name: qsTr("Tags (separated by commas)") }
    Label { text: qsTr("Notes") }
    TextArea { id: notesField; Layout.fillWidth: true; wrapMode: TextEdit.Wrap; Accessible.name: qsTr("Notes") }
}
