package dev.moire.junit.internal;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Says at the start of a run, once and plainly, when the JUnit on the class path is older than
 * moire supports (5.12, whose {@code PreInterruptCallback} the extension implements), with the
 * versions and the fix; the launcher finds it through {@code META-INF/services}. Without it the
 * first sign would be a {@code TypeNotPresentException} on each tracked class.
 */
public final class JUnitFloor implements LauncherSessionListener {
  /** The oldest JUnit Jupiter moire runs on. */
  public static final String FLOOR = "5.12";

  /** Creates the listener (the launcher does). */
  public JUnitFloor() {}

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    problem().ifPresent(System.err::println);
  }

  /** The message for this class path, if its JUnit Jupiter is below the floor. */
  public static java.util.Optional<String> problem() {
    ClassLoader loader = JUnitFloor.class.getClassLoader();
    boolean jupiter = present("org.junit.jupiter.api.Test", loader);
    if (!jupiter || present("org.junit.jupiter.api.extension.PreInterruptCallback", loader)) {
      return java.util.Optional.empty();
    }
    Package api = org.junit.jupiter.api.Test.class.getPackage();
    String version =
        api == null || api.getImplementationVersion() == null
            ? "an older one"
            : api.getImplementationVersion();
    return java.util.Optional.of(
        "moire: @MoireTracked needs JUnit Jupiter "
            + FLOOR
            + " or newer (5.12, 5.13, 5.14 and 6.x are tested), and this run has junit-jupiter-api "
            + version
            + ": import org.junit:junit-bom:5.14.4 (or 6.1.3) in dependencyManagement (Gradle:"
            + " testImplementation(platform(\"org.junit:junit-bom:5.14.4\"))), and the tracked"
            + " test classes will load");
  }

  private static boolean present(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
