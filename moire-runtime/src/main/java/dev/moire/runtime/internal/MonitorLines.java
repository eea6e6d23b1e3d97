package dev.moire.runtime.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The source lines of {@code synchronized} blocks, read from the class file: what a thread's stack
 * does not say about a monitor. The JVM places a thread blocked entering a monitor at the first
 * line <i>inside</i> the block (its frame is past the {@code monitorenter}), and a monitor's owner
 * at the line where its frame is now, not where it took the monitor; the {@code monitorenter}
 * instructions and the handlers {@code javac} puts around each block say where both happened.
 *
 * <p>Read at observation time only, once per class (cached), from the class file its loader serves.
 * Any doubt (an overloaded method whose lines tell nothing apart, a class file it cannot find or
 * read, counts that do not match) gives an empty answer, and the caller keeps the JVM's own line.
 */
final class MonitorLines {
  /**
   * One {@code synchronized} block: its {@code monitorenter}, the ranges of code it guards (more
   * than one when a {@code return} or {@code break} leaves it early) and the line it is on.
   */
  private record Block(int enter, int start, List<int[]> ranges, int line) {
    boolean contains(int pc) {
      for (int[] r : ranges) {
        if (pc >= r[0] && pc < r[1]) {
          return true;
        }
      }
      return false;
    }
  }

  /** One method's code, as far as this needs it. */
  private record Method(
      String name, boolean synchronizedMethod, int[] pcs, int[] lines, List<Block> blocks) {
    /** The line of a bytecode offset, from the line number table. */
    int lineOf(int pc) {
      int line = -1;
      int best = -1;
      for (int i = 0; i < pcs.length; i++) {
        if (pcs[i] <= pc && pcs[i] > best) {
          best = pcs[i];
          line = lines[i];
        }
      }
      return line;
    }

    /** Whether the instruction at {@code pc} is on {@code line}. */
    boolean onLine(int pc, int line) {
      return lineOf(pc) == line;
    }

    boolean hasLine(int line) {
      for (int l : lines) {
        if (l == line) {
          return true;
        }
      }
      return false;
    }

    int firstLine() {
      int min = Integer.MAX_VALUE;
      for (int l : lines) {
        min = Math.min(min, l);
      }
      return min == Integer.MAX_VALUE ? -1 : min;
    }
  }

  private static final Map<String, List<Method>> CLASSES = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 4096;

  private MonitorLines() {}

  /**
   * The line of the {@code synchronized} statement a thread is blocked entering, given the line the
   * JVM shows for its frame (the first line inside the block).
   */
  static OptionalInt entering(StackTraceElement frame, @Nullable ClassLoader loader) {
    Optional<Method> m = method(frame, loader);
    if (m.isEmpty()) {
      return OptionalInt.empty();
    }
    int shown = frame.getLineNumber();
    OptionalInt found = OptionalInt.empty();
    for (Block b : m.get().blocks()) {
      if (m.get().onLine(b.start(), shown)) {
        if (found.isPresent() && found.getAsInt() != b.line()) {
          return OptionalInt.empty(); // two blocks begin on this line: no telling which
        }
        found = OptionalInt.of(b.line());
      }
    }
    return found;
  }

  /**
   * The lines where a frame took the monitors it holds, innermost first, as many as {@code count}:
   * the {@code synchronized} blocks around its current line (less the one it is blocked entering,
   * if {@code entering}), or the method's first line for a {@code synchronized} method.
   */
  static List<Integer> taken(
      StackTraceElement frame, @Nullable ClassLoader loader, int count, boolean entering) {
    Optional<Method> m = method(frame, loader);
    if (m.isEmpty() || count <= 0) {
      return List.of();
    }
    Method method = m.get();
    int line = frame.getLineNumber();
    List<Block> around = new ArrayList<>();
    for (Block b : method.blocks()) {
      for (int[] r : b.ranges()) {
        for (int pc = r[0]; pc < r[1] && !around.contains(b); pc++) {
          if (method.onLine(pc, line)) {
            around.add(b);
          }
        }
      }
    }
    around.sort(Comparator.comparingInt(Block::enter).reversed()); // innermost first
    if (entering && !around.isEmpty() && method.onLine(around.get(0).start(), line)) {
      around.remove(0); // the block it waits to enter holds nothing yet
    }
    List<Integer> out = new ArrayList<>();
    for (Block b : around) {
      out.add(b.line());
    }
    if (method.synchronizedMethod()) {
      out.add(method.firstLine());
    }
    return out.size() >= count ? out.subList(0, count) : List.of();
  }

  /** The method a frame runs, when its class file tells it apart from its overloads. */
  private static Optional<Method> method(StackTraceElement frame, @Nullable ClassLoader loader) {
    if (frame.getLineNumber() < 0) {
      return Optional.empty();
    }
    List<Method> methods = CLASSES.get(frame.getClassName());
    if (methods == null) {
      methods = read(frame.getClassName(), loader);
      if (CLASSES.size() < MAX_CACHED) {
        CLASSES.put(frame.getClassName(), methods);
      }
    }
    Method found = null;
    for (Method m : methods) {
      if (m.name().equals(frame.getMethodName()) && m.hasLine(frame.getLineNumber())) {
        if (found != null) {
          return Optional.empty();
        }
        found = m;
      }
    }
    return Optional.ofNullable(found);
  }

  private static List<Method> read(String className, @Nullable ClassLoader loader) {
    String resource = className.replace('.', '/') + ".class";
    for (ClassLoader l : loaders(loader)) {
      try (InputStream in = l.getResourceAsStream(resource)) {
        if (in != null) {
          return parse(in.readAllBytes());
        }
      } catch (IOException | RuntimeException e) {
        return List.of(); // unreadable: the JVM's own lines stand
      }
    }
    return List.of();
  }

  private static List<ClassLoader> loaders(@Nullable ClassLoader first) {
    List<ClassLoader> out = new ArrayList<>(3);
    if (first != null) {
      out.add(first);
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && !out.contains(context)) {
      out.add(context);
    }
    ClassLoader system = ClassLoader.getSystemClassLoader();
    if (!out.contains(system)) {
      out.add(system);
    }
    return out;
  }

  /** Reads the methods of a class file: names, line tables and synchronized blocks. */
  static List<Method> parse(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // a long or double takes two slots
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    in.skipBytes(6); // access, this, super
    in.skipBytes(2 * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.skipBytes(6);
      skipAttributes(in);
    }
    int methods = in.readUnsignedShort();
    List<Method> out = new ArrayList<>(methods);
    for (int i = 0; i < methods; i++) {
      int access = in.readUnsignedShort();
      String name = utf8[in.readUnsignedShort()];
      in.skipBytes(2);
      int attributes = in.readUnsignedShort();
      Method m = null;
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if ("Code".equals(attribute)) {
          m = code(name, (access & 0x0020) != 0, in, utf8);
        } else {
          in.skipBytes(length);
        }
      }
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  private static Method code(String name, boolean sync, DataInputStream in, String[] utf8)
      throws IOException {
    in.skipBytes(4); // max stack, max locals
    byte[] code = new byte[in.readInt()];
    in.readFully(code);
    int handlers = in.readUnsignedShort();
    int[][] table = new int[handlers][];
    for (int i = 0; i < handlers; i++) {
      int start = in.readUnsignedShort();
      int end = in.readUnsignedShort();
      int handler = in.readUnsignedShort();
      int type = in.readUnsignedShort();
      table[i] = new int[] {start, end, handler, type};
    }
    int[] pcs = new int[0];
    int[] lines = new int[0];
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      String attribute = utf8[in.readUnsignedShort()];
      int length = in.readInt();
      if ("LineNumberTable".equals(attribute)) {
        int n = in.readUnsignedShort();
        int[] p = new int[pcs.length + n];
        int[] l = new int[lines.length + n];
        System.arraycopy(pcs, 0, p, 0, pcs.length);
        System.arraycopy(lines, 0, l, 0, lines.length);
        for (int i = 0; i < n; i++) {
          p[pcs.length + i] = in.readUnsignedShort();
          l[lines.length + i] = in.readUnsignedShort();
        }
        pcs = p;
        lines = l;
      } else {
        in.skipBytes(length);
      }
    }
    Method shell = new Method(name, sync, pcs, lines, List.of());
    List<Block> blocks = new ArrayList<>();
    for (int pc : monitorEnters(code)) {
      // javac guards a block with a catch-all handler that releases the monitor, from the
      // instruction after monitorenter (a try directly inside the block may start there too, with
      // a handler of its own); every range with that handler is the block's.
      int handler = -1;
      for (int[] h : table) {
        if (h[0] == pc + 1 && h[3] == 0 && releases(code, h[2])) {
          handler = h[2];
        }
      }
      if (handler < 0) {
        continue;
      }
      List<int[]> ranges = new ArrayList<>();
      for (int[] h : table) {
        if (h[2] == handler && h[3] == 0 && h[0] < handler) {
          ranges.add(new int[] {h[0], h[1]});
        }
      }
      blocks.add(new Block(pc, pc + 1, List.copyOf(ranges), shell.lineOf(pc)));
    }
    return new Method(name, sync, pcs, lines, List.copyOf(blocks));
  }

  /**
   * Whether the handler at {@code pc} releases a monitor first, as javac's does: it stores the
   * exception, loads the monitor and exits it ({@code astore; aload; monitorexit}).
   */
  private static boolean releases(byte[] code, int pc) {
    int i = pc;
    int op = i < code.length ? code[i] & 0xff : -1;
    if (op == 0x3a) {
      i += 2; // astore index
    } else if (op >= 0x4b && op <= 0x4e) {
      i += 1; // astore_<n>
    } else {
      return false;
    }
    op = i < code.length ? code[i] & 0xff : -1;
    if (op == 0x19) {
      i += 2; // aload index
    } else if (op >= 0x2a && op <= 0x2d) {
      i += 1; // aload_<n>
    } else {
      return false;
    }
    return i < code.length && (code[i] & 0xff) == 0xc3;
  }

  /** The offsets of the {@code monitorenter} instructions of a method's code. */
  private static List<Integer> monitorEnters(byte[] code) throws IOException {
    List<Integer> out = new ArrayList<>();
    int pc = 0;
    while (pc < code.length) {
      int op = code[pc] & 0xff;
      if (op == 0xc2) {
        out.add(pc);
      }
      pc += length(code, pc, op);
    }
    return out;
  }

  /** The length of the instruction at {@code pc}. */
  private static int length(byte[] code, int pc, int op) throws IOException {
    if (op == 0xaa || op == 0xab) { // tableswitch, lookupswitch
      int p = (pc + 4) & ~3; // past the padding
      if (op == 0xaa) {
        int low = readInt(code, p + 4);
        int high = readInt(code, p + 8);
        return p - pc + 12 + 4 * (high - low + 1);
      }
      return p - pc + 8 + 8 * readInt(code, p + 4);
    }
    if (op == 0xc4) { // wide
      return (code[pc + 1] & 0xff) == 0x84 ? 6 : 4;
    }
    if (op > 0xc9) {
      throw new IOException("unknown opcode " + op);
    }
    return LENGTHS[op];
  }

  private static int readInt(byte[] b, int i) {
    return (b[i] & 0xff) << 24
        | (b[i + 1] & 0xff) << 16
        | (b[i + 2] & 0xff) << 8
        | (b[i + 3] & 0xff);
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    for (int i = 0; i < n; i++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }

  /** Instruction lengths by opcode (the variable ones are computed). */
  private static final int[] LENGTHS = lengths();

  private static int[] lengths() {
    int[] l = new int[0xca];
    java.util.Arrays.fill(l, 1);
    l[0x10] = 2; // bipush
    l[0x11] = 3; // sipush
    l[0x12] = 2; // ldc
    l[0x13] = 3; // ldc_w
    l[0x14] = 3; // ldc2_w
    for (int op = 0x15; op <= 0x19; op++) {
      l[op] = 2; // loads with an index
    }
    for (int op = 0x36; op <= 0x3a; op++) {
      l[op] = 2; // stores with an index
    }
    l[0x84] = 3; // iinc
    for (int op = 0x99; op <= 0xa8; op++) {
      l[op] = 3; // branches, goto, jsr
    }
    l[0xa9] = 2; // ret
    for (int op = 0xb2; op <= 0xb8; op++) {
      l[op] = 3; // field access, invokevirtual/special/static
    }
    l[0xb9] = 5; // invokeinterface
    l[0xba] = 5; // invokedynamic
    l[0xbb] = 3; // new
    l[0xbc] = 2; // newarray
    l[0xbd] = 3; // anewarray
    l[0xc0] = 3; // checkcast
    l[0xc1] = 3; // instanceof
    l[0xc5] = 4; // multianewarray
    l[0xc6] = 3; // ifnull
    l[0xc7] = 3; // ifnonnull
    l[0xc8] = 5; // goto_w
    l[0xc9] = 5; // jsr_w
    return l;
  }
}
