"""Where a line of text may not break (UAX #14), as Excel and LibreOffice keep it on paper
(outputs/xlsx.printed_lines) and the terminal's wrap keeps it on screen (cli/wrapping): after an
opening mark, and before a closing mark or a comma, stop or colon. No imports: the terminal wraps
before the library loads."""

NO_BREAK_AFTER = "「『(([{《〈【“‘〔"
NO_BREAK_BEFORE = "」』))]}》〉】”’〕,。、:;!?%.,:;!?…ー々"
