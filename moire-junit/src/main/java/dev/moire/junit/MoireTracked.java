package dev.moire.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracks a test (or every test of a class) with moire: the test gets its own {@code test} scope, a
 * watchdog fails it at once with a {@link dev.moire.runtime.DeadlockDetectedError} when its threads
 * deadlock or stall, and its graph is stored (SQLite) and reported (HTML) when it fails or times
 * out.
 *
 * <pre>{@code
 * @MoireTracked
 * class TransferTest {
 *   @Test
 *   @Timeout(5)
 *   void transfers_inBothDirections_doNotDeadlock(MoireGraph graph) { ... }
 * }
 * }</pre>
 *
 * <p>Every attribute left at its default takes its value from a JUnit configuration parameter
 * ({@code junit-platform.properties}, {@code -D} on the launcher), or else from moire's default. A
 * method's annotation overrides its class's, attribute by attribute. Usable as a meta-annotation.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>attribute</th><th>parameter</th><th>default</th></tr>
 *   <tr><td>{@link #watchdogInterval()}</td><td>{@code moire.watchdog.interval}</td>
 *       <td>{@code 10ms}</td></tr>
 *   <tr><td>{@link #grace()}</td><td>{@code moire.grace}</td><td>{@code 50ms}</td></tr>
 *   <tr><td>{@link #record()}</td><td>{@code moire.record}</td><td>{@code failures}</td></tr>
 *   <tr><td>{@link #leakedHolds()}</td><td>{@code moire.check.leaked-holds}</td>
 *       <td>{@code fail}</td></tr>
 *   <tr><td>{@link #danglingReceivers()}</td><td>{@code moire.check.dangling-receivers}</td>
 *       <td>{@code fail}</td></tr>
 *   <tr><td>{@link #store()}</td><td>{@code moire.store}</td>
 *       <td>{@code target/moire/moire.db}</td></tr>
 *   <tr><td>{@link #reportDir()}</td><td>{@code moire.report.dir}</td>
 *       <td>{@code target/moire/report}</td></tr>
 *   <tr><td>{@link #bodyThread()}</td><td>{@code moire.body.thread}</td>
 *       <td>{@code own} ({@code caller} under Spring's extension)</td></tr>
 *   <tr><td>{@link #housekeepingThreads()}</td><td>{@code moire.world.housekeeping-threads}</td>
 *       <td>none</td></tr>
 *   <tr><td>-</td><td>{@code moire.enabled}</td><td>{@code true}</td></tr>
 * </table>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MoireExtension.class)
@SuppressWarnings("exports") // the extension is package-private on purpose; JUnit opens it
public @interface MoireTracked {
  /**
   * How often the watchdog evaluates the test's graph, such as {@code 10ms}, {@code 1s} or {@code
   * PT0.01S}; empty means the configuration parameter or the default.
   */
  String watchdogInterval() default "";

  /**
   * How long a certain finding (and, for a stall, the test's silence) must last before the test is
   * failed; empty means the configuration parameter or the default.
   */
  String grace() default "";

  /** Which tests store their snapshot. */
  Record record() default Record.DEFAULT;

  /** What a lock, permit or initialisation still held at the end of the test does. */
  Check leakedHolds() default Check.DEFAULT;

  /** What a receiver left without a sender at the end of the test does. */
  Check danglingReceivers() default Check.DEFAULT;

  /** The SQLite store file; empty means the configuration parameter or the default. */
  String store() default "";

  /** The directory of the HTML report; empty means the configuration parameter or the default. */
  String reportDir() default "";

  /**
   * Which thread runs the test method: {@link BodyThread#OWN}, a thread of moire's, lets a test
   * whose threads are stuck in waits that ignore interrupts still end within about a second of the
   * verdict or of a JUnit timeout; {@link BodyThread#CALLER} keeps JUnit's thread, for frameworks
   * that bind state to it in callbacks with plain thread-locals.
   */
  BodyThread bodyThread() default BodyThread.DEFAULT;

  /** Which thread runs the test method. */
  enum BodyThread {
    /**
     * The configuration parameter {@code moire.body.thread}, or {@link #OWN}; {@link #CALLER} when
     * the test class uses Spring's {@code SpringExtension} (its test transactions are bound to
     * JUnit's thread).
     */
    DEFAULT,
    /**
     * A thread moire owns, started for the test method (named as JUnit's thread, inheriting its
     * inheritable thread-locals); JUnit's thread waits for it, and leaves it behind when it is
     * stuck a second after a verdict or a timeout, naming the threads left behind. As with JUnit's
     * own {@code SEPARATE_THREAD} timeout mode, plain thread-locals set in {@code @BeforeEach} are
     * not seen by the test method.
     */
    OWN,
    /**
     * JUnit's thread, as without moire: a test stuck in a wait that ignores interrupts ({@code
     * CompletableFuture.join}, entering a monitor) cannot be ended, and keeps the build waiting
     * although moire has reported it.
     */
    CALLER
  }

  /**
   * A regular expression over whole thread names: threads of the JVM that the verdict rule should
   * count as housekeeping, never as threads that could still act (a library's reporter that ticks
   * for the whole run keeps every stall possible otherwise); empty means the configuration
   * parameter {@code moire.world.housekeeping-threads}, or none.
   */
  String housekeepingThreads() default "";

  /** Which tests store their snapshot in the store. */
  enum Record {
    /** The configuration parameter {@code moire.record}, or {@link #FAILURES}. */
    DEFAULT,
    /** Failing, timed-out and deadlocked tests. */
    FAILURES,
    /** Every test, passing ones too. */
    ALWAYS,
    /** No test. */
    NEVER
  }

  /** What an end-of-test check does when it finds something. */
  enum Check {
    /** The configuration parameter, or {@link #FAIL}. */
    DEFAULT,
    /** Fails the test. */
    FAIL,
    /** Reports a warning (a report entry and standard error) and lets the test pass. */
    WARN,
    /** Does not check. */
    OFF
  }
}
