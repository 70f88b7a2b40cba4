package dev.farad.filter.internal;

import java.util.Arrays;

/**
 * A node of the trie of field paths that a filter names. The root stands for the whole document;
 * a child reached by key {@code a} stands for {@code /a}, and its indexed child {@code 0} for
 * {@code /a[0]}. A node with {@code slot >= 0} is a path whose values are collected.
 *
 * <p>Built once by {@link #add(PathSpec, int)} during compilation, then only read, from any thread.
 */
final class PathNode {

    private static final byte[][] NO_NAMES = new byte[0][];
    private static final PathNode[] NO_NODES = new PathNode[0];
    private static final int[] NO_INDEXES = new int[0];
    private static final long[] NO_HEADS = new long[0];

    private int slot = -1;
    /** Bit n is set when a child name is n bytes long (bit 63 for 63 or more). */
    private long nameLengths;
    private byte[][] names = NO_NAMES;
    /** {@link Bytes#head} of each name, compared before the name's length and its other bytes. */
    private long[] heads = NO_HEADS;
    private PathNode[] children = NO_NODES;
    private int[] indexes = NO_INDEXES;
    private PathNode[] indexed = NO_NODES;

    /** Returns the slot that collects this path's values, or -1 when only deeper paths are wanted. */
    int slot() {
        return slot;
    }

    boolean hasChildren() {
        return children.length > 0;
    }

    boolean hasIndexes() {
        return indexes.length > 0;
    }

    /** Adds {@code path} below this root node; returns its slot, or {@code newSlot} if it is new. */
    int add(PathSpec path, int newSlot) {
        PathNode node = this;
        for (PathSpec.Segment segment : path.segments()) {
            node = node.childOrAdd(segment.name());
            for (int index : segment.indexes()) {
                node = node.indexOrAdd(index);
            }
        }
        if (node.slot < 0) {
            node.slot = newSlot;
        }
        return node.slot;
    }

    /** Returns the child for the key in {@code b[from, to)}, or null if no wanted path goes there. */
    PathNode child(byte[] b, int from, int to) {
        int len = to - from;
        if (len < 64 && (nameLengths & (1L << len)) == 0) {
            return null; // no wanted key has this length: the common case for skipped keys
        }
        // One comparison of the first eight bytes settles nearly every key: most are shorter.
        long head = Bytes.head(b, from, len);
        for (int i = 0; i < names.length; i++) {
            if (heads[i] == head && names[i].length == len && restEquals(names[i], b, from)) {
                return children[i];
            }
        }
        return null;
    }

    /** Compares the bytes after the first eight, which {@link Bytes#head} has already compared. */
    private static boolean restEquals(byte[] name, byte[] b, int from) {
        for (int j = Long.BYTES; j < name.length; j++) {
            if (name[j] != b[from + j]) {
                return false;
            }
        }
        return true;
    }

    /** Returns the node for array element {@code index} below this node, or null. */
    PathNode index(int index) {
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] == index) {
                return indexed[i];
            }
        }
        return null;
    }

    private PathNode childOrAdd(byte[] name) {
        PathNode existing = child(name, 0, name.length);
        if (existing != null) {
            return existing;
        }
        PathNode node = new PathNode();
        nameLengths |= 1L << Math.min(63, name.length);
        names = Arrays.copyOf(names, names.length + 1);
        names[names.length - 1] = name;
        heads = Arrays.copyOf(heads, heads.length + 1);
        heads[heads.length - 1] = Bytes.head(name, 0, name.length);
        children = Arrays.copyOf(children, children.length + 1);
        children[children.length - 1] = node;
        return node;
    }

    private PathNode indexOrAdd(int index) {
        PathNode existing = index(index);
        if (existing != null) {
            return existing;
        }
        PathNode node = new PathNode();
        indexes = Arrays.copyOf(indexes, indexes.length + 1);
        indexes[indexes.length - 1] = index;
        indexed = Arrays.copyOf(indexed, indexed.length + 1);
        indexed[indexed.length - 1] = node;
        return node;
    }
}
