package dev.moire.runtime.sync;

/**
 * The JDK's {@code toString} of a synchronizer, for a tracked one that delegates to it: the tracked
 * object's own identity ({@code Object.toString()}) followed by the JDK object's state, the part in
 * brackets ({@code [Locked by thread t]}, {@code [Read locks = 2]}).
 */
final class JdkState {
  private JdkState() {}

  static String of(Object self, Object jdk) {
    String state = jdk.toString();
    int bracket = state.indexOf('[', state.indexOf('@'));
    return self.getClass().getName()
        + "@"
        + Integer.toHexString(System.identityHashCode(self))
        + (bracket < 0 ? "" : state.substring(bracket));
  }
}
