package dev.moire.junit;

import dev.moire.junit.MoireTracked.BodyThread;
import dev.moire.junit.MoireTracked.Check;
import dev.moire.junit.MoireTracked.Record;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The settings of one tracked test, resolved from its annotations (method over class), JUnit
 * configuration parameters and defaults. Immutable.
 */
record Settings(
    boolean enabled,
    Duration watchdogInterval,
    Duration grace,
    Record record,
    Check leakedHolds,
    Check danglingReceivers,
    Path store,
    Path reportDir,
    MoireTracked.BodyThread bodyThread,
    Optional<Pattern> housekeepingThreads,
    Optional<String> sourceUrl) {

  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);
  static final Duration DEFAULT_GRACE = Duration.ofMillis(50);
  static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|min)");

  /** Resolves the settings of the test (or class) of {@code context}. */
  static Settings resolve(ExtensionContext context) {
    List<MoireTracked> annotations = new ArrayList<>(); // innermost first
    context.getTestMethod().flatMap(m -> find(m)).ifPresent(annotations::add);
    Optional<Class<?>> c = context.getTestClass();
    while (c.isPresent()) {
      find(c.get()).ifPresent(annotations::add);
      c = Optional.ofNullable(c.get().getEnclosingClass());
    }
    boolean enabled =
        context
            .getConfigurationParameter("moire.enabled")
            .map(v -> parseBoolean("moire.enabled", v))
            .orElse(true);
    Duration interval =
        duration(context, annotations, "watchdogInterval", MoireTracked::watchdogInterval)
            .orElse(DEFAULT_INTERVAL);
    Duration grace =
        duration(context, annotations, "grace", MoireTracked::grace).orElse(DEFAULT_GRACE);
    if (interval.isZero() || interval.isNegative() || interval.compareTo(MAX_INTERVAL) > 0) {
      throw new ExtensionConfigurationException(
          "@MoireTracked watchdogInterval must be between 1ms and 10s, was "
              + interval.toMillis()
              + "ms: the watchdog must look often enough to fail a deadlocked test quickly");
    }
    Record record =
        annotations.stream()
            .map(MoireTracked::record)
            .filter(r -> r != Record.DEFAULT)
            .findFirst()
            .orElseGet(
                () ->
                    context
                        .getConfigurationParameter("moire.record")
                        .map(v -> enumParam("moire.record", v, Record.class))
                        .orElse(Record.FAILURES));
    Check leaks =
        check(context, annotations, MoireTracked::leakedHolds, "moire.check.leaked-holds");
    Check dangling =
        check(
            context,
            annotations,
            MoireTracked::danglingReceivers,
            "moire.check.dangling-receivers");
    Path store =
        path(context, annotations, "store", MoireTracked::store, "moire.store")
            .orElse(Path.of("target", "moire", "moire.db"));
    Path reportDir =
        path(context, annotations, "reportDir", MoireTracked::reportDir, "moire.report.dir")
            .orElse(Path.of("target", "moire", "report"));
    MoireTracked.BodyThread body =
        annotations.stream()
            .map(MoireTracked::bodyThread)
            .filter(b -> b != MoireTracked.BodyThread.DEFAULT)
            .findFirst()
            .or(
                () ->
                    context
                        .getConfigurationParameter("moire.body.thread")
                        .map(v -> enumParam("moire.body.thread", v, MoireTracked.BodyThread.class)))
            .orElseGet(() -> usesSpring(context) ? BodyThread.CALLER : BodyThread.OWN);
    Optional<Pattern> housekeeping = housekeeping(context, annotations);
    Optional<String> sourceUrl =
        context.getConfigurationParameter("moire.report.source-url").filter(v -> !v.isBlank());
    return new Settings(
        enabled,
        interval,
        grace,
        record,
        leaks,
        dangling,
        store,
        reportDir,
        body,
        housekeeping,
        sourceUrl);
  }

  /**
   * The names of threads the user declares housekeeping (a metrics reporter, a pool's keeper): the
   * verdict rule then never counts them as threads that could act. A regular expression over the
   * whole thread name.
   */
  private static Optional<Pattern> housekeeping(
      ExtensionContext context, List<MoireTracked> annotations) {
    for (MoireTracked a : annotations) {
      String v = a.housekeepingThreads();
      if (!v.isBlank()) {
        return Optional.of(regex(v, "@MoireTracked(housekeepingThreads = \"" + v + "\")"));
      }
    }
    String param = "moire.world.housekeeping-threads";
    return context
        .getConfigurationParameter(param)
        .filter(v -> !v.isBlank())
        .map(v -> regex(v, "configuration parameter " + param + "=" + v));
  }

  private static Pattern regex(String v, String where) {
    try {
      return Pattern.compile(v.trim());
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new ExtensionConfigurationException(
          where
              + " is not a regular expression ("
              + e.getDescription()
              + "): write one that matches whole thread names, such as metrics-.*",
          e);
    }
  }

  /**
   * Whether the test class is extended by Spring's {@code SpringExtension} (directly or through a
   * meta-annotation such as {@code @SpringBootTest}), which binds test transactions to JUnit's
   * thread with plain thread-locals.
   */
  private static boolean usesSpring(ExtensionContext context) {
    Optional<Class<?>> c = context.getTestClass();
    while (c.isPresent()) {
      for (ExtendWith e : AnnotationSupport.findRepeatableAnnotations(c.get(), ExtendWith.class)) {
        for (Class<?> type : e.value()) {
          if (type.getName().startsWith("org.springframework.")) {
            return true;
          }
        }
      }
      c = Optional.ofNullable(c.get().getEnclosingClass());
    }
    return false;
  }

  private static Optional<MoireTracked> find(AnnotatedElement element) {
    return AnnotationSupport.findAnnotation(element, MoireTracked.class);
  }

  private static Optional<Duration> duration(
      ExtensionContext context,
      List<MoireTracked> annotations,
      String attribute,
      Function<MoireTracked, String> get) {
    for (MoireTracked a : annotations) {
      String v = get.apply(a);
      if (!v.isEmpty()) {
        return Optional.of(
            parseDuration(v, "@MoireTracked(" + attribute + " = \"" + v + "\")", attribute));
      }
    }
    String param = "moire." + (attribute.equals("grace") ? "grace" : "watchdog.interval");
    return context
        .getConfigurationParameter(param)
        .map(v -> parseDuration(v, "configuration parameter " + param + "=" + v, attribute));
  }

  /** Parses {@code 250ms}, {@code 2s}, {@code 1m}, {@code 500us} or ISO-8601 ({@code PT0.5S}). */
  static Duration parseDuration(String text, String where, String attribute) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(v);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
          };
    } else {
      try {
        d = Duration.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new ExtensionConfigurationException(
            where
                + " is not a duration: write "
                + attribute
                + " as a number and a unit, such as 200ms, 2s or PT0.2S",
            e);
      }
    }
    if (d.isNegative()) {
      throw new ExtensionConfigurationException(
          where + " is negative: " + attribute + " must be 0 or more, such as 200ms");
    }
    return d;
  }

  private static Check check(
      ExtensionContext context,
      List<MoireTracked> annotations,
      Function<MoireTracked, Check> get,
      String param) {
    return annotations.stream()
        .map(get)
        .filter(x -> x != Check.DEFAULT)
        .findFirst()
        .orElseGet(
            () ->
                context
                    .getConfigurationParameter(param)
                    .map(v -> enumParam(param, v, Check.class))
                    .orElse(Check.FAIL));
  }

  private static Optional<Path> path(
      ExtensionContext context,
      List<MoireTracked> annotations,
      String attribute,
      Function<MoireTracked, String> get,
      String param) {
    for (MoireTracked a : annotations) {
      String v = get.apply(a);
      if (!v.isBlank()) {
        return Optional.of(toPath(v, "@MoireTracked(" + attribute + " = \"" + v + "\")"));
      }
    }
    return context
        .getConfigurationParameter(param)
        .filter(v -> !v.isBlank())
        .map(v -> toPath(v, "configuration parameter " + param + "=" + v));
  }

  private static Path toPath(String v, String where) {
    try {
      return Path.of(v.trim());
    } catch (InvalidPathException e) {
      throw new ExtensionConfigurationException(
          where + " is not a valid path: " + e.getReason() + "; give a file system path", e);
    }
  }

  private static <E extends Enum<E>> E enumParam(String param, String value, Class<E> type) {
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (!e.name().equals("DEFAULT")) {
        allowed.add(e.name().toLowerCase(Locale.ROOT));
        if (e.name().equalsIgnoreCase(value.trim())) {
          return e;
        }
      }
    }
    throw new ExtensionConfigurationException(
        "configuration parameter "
            + param
            + "="
            + value
            + " is not one of "
            + String.join(", ", allowed)
            + ": set it to one of those");
  }

  static boolean parseBoolean(String param, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw new ExtensionConfigurationException(
        "configuration parameter " + param + "=" + value + " is not true or false");
  }
}
