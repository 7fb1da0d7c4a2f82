// What the user reads for the schema's entity and field names
// (core/schema/FieldsyncSchema.cpp): "customer"/"phone" -> 客户/电话 in Chinese,
// Customer/Phone in English. Names without a label (a field added to the
// schema later) are shown as they are.
#pragma once

#include <QString>
#include <string_view>

namespace fieldsync::app {

QString entityLabel(std::string_view entity);
QString fieldLabel(std::string_view entity, std::string_view field);

} // namespace fieldsync::app
