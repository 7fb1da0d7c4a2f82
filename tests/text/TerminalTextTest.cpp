// Typed text in a terminal (text/TerminalText.h): what a rep types as a
// device or customer name reaches an admin's or a user's terminal as one
// line that cannot steer it, and tables stay aligned with Chinese in them.
#include "text/TerminalText.h"

#include <gtest/gtest.h>

#include <sstream>

namespace fieldsync::text {
namespace {

TEST(TerminalTextTest, EscapeSequencesBidiOverridesAndLineBreaksBecomeSpaces)
{
    // ESC [ 2 J (clear screen), BEL, a C1 CSI (U+009B), a right-to-left
    // override (U+202E), a line separator (U+2028), a newline.
    const std::string hostile = "a\x1b[2Jb\x07" "c\xc2\x9b" "d\xe2\x80\xae" "e\xe2\x80\xa8" "f\ng";
    EXPECT_EQ(cleaned(hostile), "a [2Jb c d e f g");
    EXPECT_EQ(cleaned("\xff\xfe"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "invalid UTF-8 shows as U+FFFD";
    EXPECT_EQ(cleaned("北京昭智教育 Ltd."), "北京昭智教育 Ltd.") << "ordinary text is untouched";
}

TEST(TerminalTextTest, WideCharactersTakeTwoColumnsAndMarksNone)
{
    EXPECT_EQ(displayWidth("abc"), 3u);
    EXPECT_EQ(displayWidth("北京"), 4u);
    EXPECT_EQ(displayWidth("ＡＢ"), 4u) << "fullwidth forms";
    EXPECT_EQ(displayWidth("e\xcc\x81"), 1u) << "e + combining acute accent";
}

TEST(TerminalTextTest, FittedCutsAtAColumnBoundaryWithAnEllipsis)
{
    EXPECT_EQ(fitted("北京昭智教育", 5), "北京…");
    EXPECT_EQ(fitted("abcdef", 4), "abc…");
    EXPECT_EQ(fitted("abcd", 4), "abcd");
    EXPECT_EQ(fitted(std::string(100, 'x'), 0), std::string(100, 'x')) << "0: no limit";
    EXPECT_EQ(fitted("a\nb", 0), "a b") << "cleaned even when not cut";
}

TEST(TerminalTextTest, TablesAlignChineseAndCleanTheirCells)
{
    Table t({"NAME", "PHONE"});
    t.addRow({"北京昭智教育", "1"});
    t.addRow({"A\x1b[31mB", "22"});
    std::ostringstream out;
    t.print(out);
    EXPECT_EQ(out.str(), "NAME          PHONE\n"
                         "北京昭智教育  1\n"
                         "A [31mB       22\n");
}

} // namespace
} // namespace fieldsync::text
