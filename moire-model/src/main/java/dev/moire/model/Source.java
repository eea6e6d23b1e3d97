package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * Where in the user's code something happened: the first stack frame outside moire.
 *
 * @param file the source file name, such as {@code Bank.java}, or {@code "Unknown"}
 * @param line the line number, or -1 when unknown
 * @param className the fully qualified class name
 * @param method the method name
 */
public record Source(String file, int line, String className, String method) {
  /** A source for when no frame could be found. */
  public static final Source UNKNOWN = new Source("Unknown", -1, "Unknown", "unknown");

  /**
   * Validates the source.
   *
   * @throws NullPointerException if any text is null
   * @throws IllegalArgumentException if {@code line} is below -1
   */
  public Source {
    Checks.notNull(file, "source file");
    Checks.notNull(className, "source class name");
    Checks.notNull(method, "source method");
    if (line < -1) {
      throw new IllegalArgumentException("source line must be -1 (unknown) or positive: " + line);
    }
  }

  /**
   * Returns whether a frame is {@code Object.wait} (or the native {@code wait0} under it); static,
   * as {@link #isJdkClass}, so that it is no property of the stored form.
   */
  public static boolean isObjectWait(Source frame) {
    return frame.className.equals("java.lang.Object") && frame.method.startsWith("wait");
  }

  /**
   * Returns whether a class is the JDK's own ({@code java.}, {@code jdk.}, {@code sun.}, {@code
   * com.sun.}): never the user's line.
   */
  public static boolean isJdkClass(String className) {
    return className.startsWith("java.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")
        || className.startsWith("com.sun.");
  }

  /** Returns {@code file:line}, as a person reads it in a message. */
  public String location() {
    return line < 0 ? file : file + ":" + line;
  }

  @Override
  public String toString() {
    return location() + " (" + simpleClassName() + "." + method + ")";
  }

  private String simpleClassName() {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(dot + 1);
  }
}
