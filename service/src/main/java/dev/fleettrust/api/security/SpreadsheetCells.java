package dev.fleettrust.api.security;

/**
 * CSV cells a spreadsheet would run as a formula (OWASP "CSV Injection"): a cell that starts with
 * {@code = + - @}, a tab or a carriage return is prefixed with a single quote, which spreadsheets
 * show as text. Device data reaches CSV exports from events anyone with a phone can shape (a user
 * agent, a site name), so every exported cell goes through here.
 */
public final class SpreadsheetCells {
  private SpreadsheetCells() {}

  public static String neutralised(String cell) {
    if (cell.isEmpty()) {
      return cell;
    }
    char first = cell.charAt(0);
    boolean formula =
        first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r';
    return formula ? "'" + cell : cell;
  }
}
