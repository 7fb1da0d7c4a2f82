#include "crdt/Rules.h"

#include <tuple>

namespace fieldsync::crdt {

std::string_view ruleName(Rule rule)
{
    switch (rule) {
    case Rule::Lww: return "lww";
    case Rule::Text: return "text";
    case Rule::Set: return "set";
    case Rule::Stage: return "stage";
    case Rule::Once: return "once";
    }
    return "?";
}

bool incomingWins(Rule rule, const Register& current, const Register& incoming)
{
    switch (rule) {
    case Rule::Lww:
    case Rule::Text:
        return incoming.clock > current.clock;
    case Rule::Once:
        return incoming.clock < current.clock;
    case Rule::Stage:
        return std::tie(incoming.generation, incoming.rank, incoming.clock)
            > std::tie(current.generation, current.rank, current.clock);
    case Rule::Set:
        break;
    }
    return false;  // set fields are not registers
}

const Register& join(Rule rule, const Register& a, const Register& b)
{
    return incomingWins(rule, a, b) ? b : a;
}

bool logsConflicts(Rule rule)
{
    return rule == Rule::Lww || rule == Rule::Text || rule == Rule::Once;
}

HubDecision decideAtHub(Rule rule, const HubField* current, const Register& incoming,
                        uint64_t writerSeen)
{
    if (!current) return {true, false};
    HubDecision d;
    d.takeIncoming = incomingWins(rule, current->reg, incoming);
    bool concurrent = current->reg.clock.device != incoming.clock.device
        && current->arrival > writerSeen;
    d.conflict = concurrent && logsConflicts(rule) && current->reg.clock != incoming.clock
        && current->reg.value != incoming.value;
    return d;
}

DeviceDecision decideOnDevice(Rule rule, const Register* current, const Register& incoming,
                              bool currentIsUnsyncedLocalEdit)
{
    if (!current) return {true, false};
    DeviceDecision d;
    d.takeIncoming = incomingWins(rule, *current, incoming);
    d.provisionalConflict = currentIsUnsyncedLocalEdit && logsConflicts(rule)
        && current->clock.device != incoming.clock.device && current->value != incoming.value;
    return d;
}

} // namespace fieldsync::crdt
