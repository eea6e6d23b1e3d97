package dev.moire.runtime;

import dev.moire.model.internal.Checks;
import java.util.Optional;
import java.util.Properties;

/**
 * How a {@link MoireRuntime} behaves. Immutable; change a setting with a {@code withX} method.
 *
 * <pre>{@code
 * RuntimeSettings settings = RuntimeSettings.defaults().withJournalCapacity(1 << 20);
 * }</pre>
 *
 * @param enabled whether anything is recorded; when false, every primitive passes straight through
 *     and the graph stays empty
 * @param journalCapacity how many recent changes the journal keeps
 * @param eventCapacity how many recent events the graph keeps
 * @param perOperationSources whether each operation (not only each creation) captures its caller's
 *     source; it costs a stack walk per operation
 * @param processName the process name used in ids; empty for {@code p} followed by the pid
 */
public record RuntimeSettings(
    boolean enabled,
    int journalCapacity,
    int eventCapacity,
    boolean perOperationSources,
    Optional<String> processName) {

  /** The system property that disables moire when set to {@code false}. */
  public static final String ENABLED_PROPERTY = "moire.enabled";

  /** The system property for {@link #journalCapacity()}. */
  public static final String JOURNAL_CAPACITY_PROPERTY = "moire.journal.capacity";

  /** The system property for {@link #eventCapacity()}. */
  public static final String EVENT_CAPACITY_PROPERTY = "moire.events.capacity";

  /** The system property for {@link #perOperationSources()}. */
  public static final String PER_OPERATION_SOURCES_PROPERTY = "moire.sources.per-operation";

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException if a capacity is not positive or the process name is blank or
   *     contains a colon
   */
  public RuntimeSettings {
    Checks.positive(journalCapacity, "journal capacity");
    Checks.nonNegative(eventCapacity, "event capacity");
    Checks.notNull(processName, "process name");
    processName.ifPresent(
        p -> {
          Checks.notBlank(p, "process name");
          Checks.argument(p.indexOf(':') < 0, "process name must not contain ':': '" + p + "'");
        });
  }

  /** Returns the defaults: enabled, 65,536 changes, 10,000 events, creation sources only. */
  public static RuntimeSettings defaults() {
    return new RuntimeSettings(true, 65_536, 10_000, false, Optional.empty());
  }

  /**
   * Returns the defaults overridden by system properties ({@code moire.enabled}, {@code
   * moire.journal.capacity}, {@code moire.events.capacity}, {@code moire.sources.per-operation}).
   *
   * @throws IllegalArgumentException if a property has a value that is not allowed, naming it
   */
  public static RuntimeSettings fromProperties(Properties properties) {
    RuntimeSettings s = defaults();
    String enabled = properties.getProperty(ENABLED_PROPERTY);
    if (enabled != null) {
      s = s.withEnabled(parseBoolean(ENABLED_PROPERTY, enabled));
    }
    String journal = properties.getProperty(JOURNAL_CAPACITY_PROPERTY);
    if (journal != null) {
      s = s.withJournalCapacity(parseInt(JOURNAL_CAPACITY_PROPERTY, journal));
    }
    String events = properties.getProperty(EVENT_CAPACITY_PROPERTY);
    if (events != null) {
      s = s.withEventCapacity(parseInt(EVENT_CAPACITY_PROPERTY, events));
    }
    String perOp = properties.getProperty(PER_OPERATION_SOURCES_PROPERTY);
    if (perOp != null) {
      s = s.withPerOperationSources(parseBoolean(PER_OPERATION_SOURCES_PROPERTY, perOp));
    }
    return s;
  }

  /** Returns these settings with {@link #enabled()} replaced. */
  public RuntimeSettings withEnabled(boolean value) {
    return new RuntimeSettings(
        value, journalCapacity, eventCapacity, perOperationSources, processName);
  }

  /**
   * Returns these settings with {@link #journalCapacity()} replaced.
   *
   * @throws IllegalArgumentException if {@code value} is not positive
   */
  public RuntimeSettings withJournalCapacity(int value) {
    return new RuntimeSettings(enabled, value, eventCapacity, perOperationSources, processName);
  }

  /**
   * Returns these settings with {@link #eventCapacity()} replaced.
   *
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public RuntimeSettings withEventCapacity(int value) {
    return new RuntimeSettings(enabled, journalCapacity, value, perOperationSources, processName);
  }

  /** Returns these settings with {@link #perOperationSources()} replaced. */
  public RuntimeSettings withPerOperationSources(boolean value) {
    return new RuntimeSettings(enabled, journalCapacity, eventCapacity, value, processName);
  }

  /**
   * Returns these settings with the process name used in ids replaced.
   *
   * @throws IllegalArgumentException if {@code value} is blank or contains a colon
   */
  public RuntimeSettings withProcessName(String value) {
    return new RuntimeSettings(
        enabled, journalCapacity, eventCapacity, perOperationSources, Optional.of(value));
  }

  private static boolean parseBoolean(String property, String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(
        "system property " + property + " must be 'true' or 'false': '" + value + "'");
  }

  private static int parseInt(String property, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + property + " must be a whole number: '" + value + "'", e);
    }
  }
}
