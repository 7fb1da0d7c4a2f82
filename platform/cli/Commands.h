// The commands of the shell, registered by concern.
#pragma once

#include "Command.h"

namespace fieldsync::cli {

// SyncCommands.cpp: `init`.
void addInitCommand(CommandTable& table);
// EntityCommands.cpp: customer, contact, visit, task, complaint.
void addEntityCommands(CommandTable& table);
// CustomerCommands.cpp: customer list, duplicates, claim, claims and
// return-to-pool (core/domain), registered by addEntityCommands; and the
// duplicate check `customer add` runs before saving (refused unless --force).
void addCustomerQueryCommands(CommandTable& table);
void checkDuplicatesBeforeAdd(Context& ctx, const std::string& name, const std::vector<std::string>& phones);
// ActivityCommands.cpp: visit plan/checkin/checkout/void, task done,
// complaint add/move/list, today, report, export, config (core/domain).
void addActivityCommands(CommandTable& table);
// The entity commands ActivityCommands.cpp provides instead of the generic
// ones ("visit", "void"): addEntityCommands skips them.
bool replacedByActivityCommands(std::string_view group, std::string_view name);
// SyncCommands.cpp: changes export/import/pending, conflicts, dump; then
// the server commands below.
void addSyncCommands(CommandTable& table);
// ServerCommands.cpp: login, logout, sync, status, rejected (core/sync).
void addServerCommands(CommandTable& table);

} // namespace fieldsync::cli
