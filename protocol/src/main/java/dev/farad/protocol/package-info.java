/**
 * The Farad wire protocol: a frame is a 4-byte big-endian length, a flat JSON header object and the
 * payload bytes. This package holds what both the broker and the client speak: {@link
 * dev.farad.protocol.Header} and its codec, {@link dev.farad.protocol.FrameDecoder}, {@link
 * dev.farad.protocol.Command}, {@link dev.farad.protocol.AckType}, {@link
 * dev.farad.protocol.Reason} and {@link dev.farad.protocol.FaradUri}. See {@code docs/PROTOCOL.md}.
 */
package dev.farad.protocol;
