#include "crdt/OrSet.h"

namespace fieldsync::crdt {

void OrSet::add(const std::string& element, const Clock& dot)
{
    m_dots[element].try_emplace(dot, false);
}

void OrSet::remove(const std::string& element, const std::vector<Clock>& observedDots)
{
    if (observedDots.empty()) return;
    auto& dots = m_dots[element];
    for (const auto& d : observedDots)
        dots[d] = true;
}

void OrSet::merge(const OrSet& other)
{
    for (const auto& [element, dots] : other.m_dots) {
        auto& mine = m_dots[element];
        for (const auto& [dot, removed] : dots)
            mine[dot] = mine[dot] || removed;
    }
}

bool OrSet::contains(const std::string& element) const
{
    auto it = m_dots.find(element);
    if (it == m_dots.end()) return false;
    for (const auto& [dot, removed] : it->second)
        if (!removed) return true;
    return false;
}

std::vector<std::string> OrSet::elements() const
{
    std::vector<std::string> out;
    for (const auto& [element, dots] : m_dots)
        if (contains(element)) out.push_back(element);
    return out;
}

std::vector<Clock> OrSet::liveDots(const std::string& element) const
{
    std::vector<Clock> out;
    auto it = m_dots.find(element);
    if (it == m_dots.end()) return out;
    for (const auto& [dot, removed] : it->second)
        if (!removed) out.push_back(dot);
    return out;
}

} // namespace fieldsync::crdt
