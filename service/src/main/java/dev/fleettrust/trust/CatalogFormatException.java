package dev.fleettrust.trust;

/**
 * A catalog document that cannot be read: the bundled data files or a stored catalog are broken. A
 * retry cannot help; the message names the JSON path at fault.
 */
public final class CatalogFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatalogFormatException(String path, String message) {
    super(path + ": " + message);
  }

  public CatalogFormatException(String path, String message, Throwable cause) {
    super(path + ": " + message, cause);
  }
}
