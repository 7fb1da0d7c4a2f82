// CliError: how the shell turns a failure into an exit status and one line on
// stderr ("fieldsync: <message>").
//
// Exit codes:
//   0  success
//   1  anything else: I/O, a damaged database, an unexpected error
//   2  usage errors and invalid input (unknown command/option/field, a value
//      of the wrong type, a malformed bundle)
//   3  something named on the command line does not exist (row id, conflict
//      id, database file)
//   4  the current state refuses the change (write-once field already set,
//      a stage moving backwards)
//   5  the signed-in user may not do this (a rep voiding a visit or changing
//      the team's configuration, a claim on a replica nobody signed in on):
//      retrying will not help, another user (a manager) must do it
//   6  the server revoked this device's sign-in (signed out elsewhere, or by
//      an administrator): sign in again
#pragma once

#include "base/Result.h"

#include <stdexcept>
#include <string>

namespace fieldsync::cli {

enum class ExitCode : int {
    Success = 0,
    Failure = 1,
    Usage = 2,
    NotFound = 3,
    Refused = 4,
    PermissionDenied = 5,
    Revoked = 6,
};

class CliError : public std::runtime_error {
public:
    CliError(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ExitCode code() const { return m_code; }

private:
    ExitCode m_code;
};

ExitCode exitCodeFor(ErrorCode code);

[[noreturn]] void fail(const Error& error);
[[noreturn]] void usageError(const std::string& message);

inline void check(const Status& status)
{
    if (!status) fail(status.error());
}

template <typename T>
T unwrap(Result<T> result)
{
    if (!result) fail(result.error());
    return std::move(result).value();
}

} // namespace fieldsync::cli
