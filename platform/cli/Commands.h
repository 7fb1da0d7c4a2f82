// The commands of the shell, registered by concern.
#pragma once

#include "Command.h"

namespace fieldsync::cli {

// SyncCommands.cpp: `init`.
void addInitCommand(CommandTable& table);
// EntityCommands.cpp: customer, contact, visit, task, complaint.
void addEntityCommands(CommandTable& table);
// SyncCommands.cpp: changes export/import/pending, conflicts, dump.
void addSyncCommands(CommandTable& table);

} // namespace fieldsync::cli
