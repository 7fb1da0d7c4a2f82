#include "FieldLabels.h"

#include <QCoreApplication>
#include <array>

namespace fieldsync::app {

namespace {

struct Label {
    const char* entity;  // "" for a field name shared by every entity
    const char* name;
    const char* text;
};

// Context "FieldLabels" in the .ts files.
constexpr std::array kEntities{
    Label{"", "customer", QT_TRANSLATE_NOOP("FieldLabels", "Customer")},
    Label{"", "contact", QT_TRANSLATE_NOOP("FieldLabels", "Contact")},
    Label{"", "visit", QT_TRANSLATE_NOOP("FieldLabels", "Visit")},
    Label{"", "task", QT_TRANSLATE_NOOP("FieldLabels", "Task")},
    Label{"", "complaint", QT_TRANSLATE_NOOP("FieldLabels", "Complaint")},
    Label{"", "conflict", QT_TRANSLATE_NOOP("FieldLabels", "Conflict")},
    Label{"", "photo", QT_TRANSLATE_NOOP("FieldLabels", "Photo")},
};

constexpr std::array kFields{
    Label{"", "name", QT_TRANSLATE_NOOP("FieldLabels", "Name")},
    Label{"", "phone", QT_TRANSLATE_NOOP("FieldLabels", "Phone")},
    Label{"", "address", QT_TRANSLATE_NOOP("FieldLabels", "Address")},
    Label{"", "region", QT_TRANSLATE_NOOP("FieldLabels", "Region")},
    Label{"", "industry", QT_TRANSLATE_NOOP("FieldLabels", "Industry")},
    Label{"", "size", QT_TRANSLATE_NOOP("FieldLabels", "Company size")},
    Label{"", "level", QT_TRANSLATE_NOOP("FieldLabels", "Level")},
    Label{"", "lifecycle", QT_TRANSLATE_NOOP("FieldLabels", "Lifecycle")},
    Label{"", "source", QT_TRANSLATE_NOOP("FieldLabels", "Source")},
    Label{"", "annual_sales", QT_TRANSLATE_NOOP("FieldLabels", "Annual sales")},
    Label{"", "owner", QT_TRANSLATE_NOOP("FieldLabels", "Owner")},
    Label{"", "tags", QT_TRANSLATE_NOOP("FieldLabels", "Tags")},
    Label{"", "notes", QT_TRANSLATE_NOOP("FieldLabels", "Notes")},
    Label{"", "archived", QT_TRANSLATE_NOOP("FieldLabels", "Archived")},
    Label{"", "customer", QT_TRANSLATE_NOOP("FieldLabels", "Customer")},
    Label{"", "title", QT_TRANSLATE_NOOP("FieldLabels", "Title")},
    Label{"", "email", QT_TRANSLATE_NOOP("FieldLabels", "Email")},
    Label{"", "birthday", QT_TRANSLATE_NOOP("FieldLabels", "Birthday")},
    Label{"", "is_primary", QT_TRANSLATE_NOOP("FieldLabels", "Primary contact")},
    Label{"", "rep", QT_TRANSLATE_NOOP("FieldLabels", "Sales rep")},
    Label{"", "kind", QT_TRANSLATE_NOOP("FieldLabels", "Kind")},
    Label{"", "planned_at", QT_TRANSLATE_NOOP("FieldLabels", "Planned for")},
    Label{"", "purpose", QT_TRANSLATE_NOOP("FieldLabels", "Purpose")},
    Label{"", "outcome", QT_TRANSLATE_NOOP("FieldLabels", "Outcome")},
    Label{"", "satisfaction", QT_TRANSLATE_NOOP("FieldLabels", "Satisfaction")},
    Label{"", "next_follow_up", QT_TRANSLATE_NOOP("FieldLabels", "Next follow-up")},
    Label{"", "order_amount", QT_TRANSLATE_NOOP("FieldLabels", "Order amount")},
    Label{"", "status", QT_TRANSLATE_NOOP("FieldLabels", "Status")},
    Label{"", "assignee", QT_TRANSLATE_NOOP("FieldLabels", "Assignee")},
    Label{"", "due", QT_TRANSLATE_NOOP("FieldLabels", "Due")},
    Label{"", "description", QT_TRANSLATE_NOOP("FieldLabels", "Description")},
    Label{"", "severity", QT_TRANSLATE_NOOP("FieldLabels", "Severity")},
    Label{"", "handler", QT_TRANSLATE_NOOP("FieldLabels", "Handler")},
    Label{"", "resolution", QT_TRANSLATE_NOOP("FieldLabels", "Resolution")},
    Label{"", "channel", QT_TRANSLATE_NOOP("FieldLabels", "Channel")},
    Label{"", "received_at", QT_TRANSLATE_NOOP("FieldLabels", "Received")},
    Label{"", "satisfaction_after", QT_TRANSLATE_NOOP("FieldLabels", "Satisfaction afterwards")},
    Label{"", "voided", QT_TRANSLATE_NOOP("FieldLabels", "Voided")},
    Label{"", "void_reason", QT_TRANSLATE_NOOP("FieldLabels", "Reason for voiding")},
    Label{"", "caption", QT_TRANSLATE_NOOP("FieldLabels", "Caption")},
    Label{"", "captured_at", QT_TRANSLATE_NOOP("FieldLabels", "Taken")},
    Label{"", "uploaded_at", QT_TRANSLATE_NOOP("FieldLabels", "Uploaded")},
    Label{"visit", "notes", QT_TRANSLATE_NOOP("FieldLabels", "Visit notes")},
    Label{"task", "title", QT_TRANSLATE_NOOP("FieldLabels", "Task")},
    Label{"contact", "title", QT_TRANSLATE_NOOP("FieldLabels", "Job title")},
};

template <size_t N>
const char* find(const std::array<Label, N>& table, std::string_view entity, std::string_view name)
{
    const char* shared = nullptr;
    for (const auto& l : table) {
        if (name != l.name) continue;
        if (entity == l.entity) return l.text;
        if (!*l.entity) shared = l.text;
    }
    return shared;
}

QString label(const char* text, std::string_view raw)
{
    return text ? QCoreApplication::translate("FieldLabels", text) : QString::fromUtf8(raw.data(), qsizetype(raw.size()));
}

} // namespace

QString entityLabel(std::string_view entity)
{
    return label(find(kEntities, "", entity), entity);
}

QString fieldLabel(std::string_view entity, std::string_view field)
{
    return label(find(kFields, entity, field), field);
}

} // namespace fieldsync::app
