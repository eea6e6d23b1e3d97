package dev.moire.benchmarks;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;

/** The runtimes the benchmarks compare: tracking on, and the disabled pass-through. */
final class Runtimes {
  private Runtimes() {}

  static MoireRuntime tracking() {
    return MoireRuntime.create(RuntimeSettings.defaults());
  }

  static MoireRuntime disabled() {
    return MoireRuntime.create(RuntimeSettings.defaults().withEnabled(false));
  }
}
