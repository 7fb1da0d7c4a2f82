#include "CliError.h"

namespace fieldsync::cli {

ExitCode exitCodeFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return ExitCode::Usage;
    case ErrorCode::NotFound: return ExitCode::NotFound;
    case ErrorCode::FailedPrecondition: return ExitCode::Refused;
    case ErrorCode::PermissionDenied: return ExitCode::PermissionDenied;
    case ErrorCode::Revoked: return ExitCode::Revoked;
    case ErrorCode::Unauthenticated:
    case ErrorCode::ResourceExhausted:
    case ErrorCode::Unavailable:
    case ErrorCode::Internal: return ExitCode::Failure;
    }
    return ExitCode::Failure;
}

void fail(const Error& error)
{
    throw CliError(exitCodeFor(error.code), error.message);
}

void usageError(const std::string& message)
{
    throw CliError(ExitCode::Usage, message);
}

} // namespace fieldsync::cli
