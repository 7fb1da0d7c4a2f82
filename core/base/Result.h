// One error policy for the whole core:
//  - bugs and I/O failures throw (std::logic_error, storage::StorageError);
//  - expected outcomes — bad input, a missing row, a refused write — come back
//    as Result<T>, and the boundaries (CLI, HTTP handler, QML-facing API) turn
//    the Error into an exit status, an HTTP status or a message on screen.
//
// Error codes carry their retry meaning (as on the wire):
//   InvalidArgument     malformed or unknown input          do not retry until fixed
//   NotFound            the named row/entity does not exist do not retry until fixed
//   FailedPrecondition  the state forbids it (write-once field already set,
//                       stage moving backwards)             retry after the state changes
//   PermissionDenied    outside the caller's scope or role  do not retry
//   Unauthenticated     missing/invalid credentials         retry after signing in
//   Revoked             this device's sign-in was revoked   do not retry with it; sign in
//                       (signed out, or by an administrator) again (on the wire: 401 revoked)
//   ResourceExhausted   too large, too many, rate limited   retry later / smaller
//   Unavailable         transient (network, busy)           retry with backoff
//   Internal            a bug or corrupted data             do not retry
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace fieldsync {

enum class ErrorCode {
    InvalidArgument,
    NotFound,
    FailedPrecondition,
    PermissionDenied,
    Unauthenticated,
    Revoked,
    ResourceExhausted,
    Unavailable,
    Internal,
};

constexpr std::string_view errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::FailedPrecondition: return "failed_precondition";
    case ErrorCode::PermissionDenied: return "permission_denied";
    case ErrorCode::Unauthenticated: return "unauthenticated";
    case ErrorCode::Revoked: return "revoked";
    case ErrorCode::ResourceExhausted: return "resource_exhausted";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

struct Error {
    ErrorCode code;
    std::string message;
    // A short stable word naming why, for programs (a refused change's
    // "reason" on the wire, docs/api.md); empty when the code says enough.
    std::string reason = {};
};

inline Error invalidArgument(std::string message) { return {ErrorCode::InvalidArgument, std::move(message)}; }
inline Error notFound(std::string message) { return {ErrorCode::NotFound, std::move(message)}; }
inline Error failedPrecondition(std::string message) { return {ErrorCode::FailedPrecondition, std::move(message)}; }

// Thrown by Result::value() on an error: reaching it is a bug in the caller.
class BadResultAccess : public std::logic_error {
public:
    explicit BadResultAccess(const Error& e) : std::logic_error(e.message) {}
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() &
    {
        if (!ok()) throw BadResultAccess(error());
        return std::get<0>(m_v);
    }
    T&& value() &&
    {
        if (!ok()) throw BadResultAccess(error());
        return std::get<0>(std::move(m_v));
    }
    const T& value() const&
    {
        if (!ok()) throw BadResultAccess(error());
        return std::get<0>(m_v);
    }
    T* operator->() { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;

} // namespace fieldsync
