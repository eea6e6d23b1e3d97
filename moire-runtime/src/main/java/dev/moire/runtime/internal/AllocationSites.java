package dev.moire.runtime.internal;

import dev.moire.model.Source;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The allocation site the agent gave the drop-in about to be constructed on this thread: code the
 * agent rewrote names the site ({@code connections}, {@code ConnectionPool.permits}, {@code
 * Ledger.java:42}) and says where it is just before the drop-in's constructor runs, and the
 * constructor takes both instead of walking the stack.
 *
 * <p>A site is set immediately before the constructor call (after its arguments are evaluated), so
 * a drop-in created while evaluating the arguments cannot take another's. The constructor takes the
 * name first ({@link #take}, through {@link SourceCapture#callerName}), then the source when it
 * creates its entity ({@link #takeSource}, only for an entity of that name); a drop-in that makes
 * no entity when constructed (a pool) takes the source and drops it.
 *
 * <p>A site is one string, interned in the class file, {@code name␟file␟line␟class␟method}; each is
 * parsed once.
 */
public final class AllocationSites {
  /** Separates the parts of a site's string. */
  public static final char SEPARATOR = '\u001f';

  private record Site(String name, @Nullable Source source) {}

  private static final ConcurrentHashMap<String, Site> PARSED = new ConcurrentHashMap<>();

  /** [0]: the site set for the next construction; [1]: the site whose name was taken. */
  private static final ThreadLocal<@Nullable Object[]> PENDING =
      ThreadLocal.withInitial(() -> new Object[2]);

  private AllocationSites() {}

  /** Sets the site of the next drop-in constructed on this thread. */
  public static void set(String site) {
    PENDING.get()[0] = site;
  }

  /** Returns and clears the name of the site set for the drop-in being constructed, if any. */
  public static @Nullable String take() {
    Object[] slot = PENDING.get();
    String encoded = (String) slot[0];
    slot[0] = null;
    if (encoded == null) {
      return null;
    }
    Site site = PARSED.computeIfAbsent(encoded, AllocationSites::parse);
    slot[1] = site;
    return site.name();
  }

  /**
   * For a factory the agent bridged ({@code Executors.newFixedThreadPool}...): returns the site's
   * name, its source kept for the entity the factory creates under that name.
   */
  public static String use(String site) {
    set(site);
    String name = take();
    return name == null ? site : name;
  }

  /**
   * Returns and clears the source of the site whose name was taken, if the entity being created
   * bears that name.
   */
  public static @Nullable Source takeSource(String name) {
    Object[] slot = PENDING.get();
    Site site = (Site) slot[1];
    if (site == null) {
      return null;
    }
    slot[1] = null;
    return site.name().equals(name) ? site.source() : null;
  }

  /** The source of a site's string: where the operation or allocation it names is. */
  public static Source source(String site) {
    Site parsed = PARSED.get(site);
    if (parsed == null) {
      parsed = PARSED.computeIfAbsent(site, AllocationSites::parse);
    }
    Source source = parsed.source();
    return source == null ? Source.UNKNOWN : source;
  }

  private static Site parse(String encoded) {
    String[] parts = encoded.split(String.valueOf(SEPARATOR), -1);
    if (parts.length != 5) {
      return new Site(encoded, null);
    }
    int line;
    try {
      line = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      line = -1;
    }
    return new Site(parts[0], SourceCapture.intern(new Source(parts[1], line, parts[3], parts[4])));
  }
}
