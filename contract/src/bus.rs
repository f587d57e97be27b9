//! Rules of the engine's memory master port (an AXI4 subset).
//!
//! The port has five channels: read address (AR), read data (R), write
//! address (AW), write data (W) and write response (B). Every burst is
//! INCR, aligned to the beat size, and obeys the two limits below.

/// Longest burst the engine issues, in beats (AXI `len` field = beats - 1).
pub const MAX_BURST_BEATS: u32 = 16;

/// A burst never crosses an address that is a multiple of this (AXI's 4 KiB rule).
pub const BURST_BOUNDARY: u64 = 4096;

/// Depth of the engine's read-data buffer, in beats. Reads are issued only
/// when the buffer can take all their beats, so this bounds the read beats in
/// flight: 256 beats hide a read latency of ~240 cycles at one beat per cycle.
pub const READ_BUFFER_BEATS: u32 = 256;

/// Response code of a beat on R or a burst on B: OKAY.
pub const RESP_OKAY: u8 = 0;
/// Response code: slave error (the target refused the access).
pub const RESP_SLVERR: u8 = 2;
/// Response code: decode error (nothing at that address, e.g. an unmapped IOVA).
pub const RESP_DECERR: u8 = 3;

/// Data-bus widths (bytes per beat) the engine is built and tested at.
pub const SUPPORTED_BEAT_BYTES: [usize; 2] = [8, 64];
