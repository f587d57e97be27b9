// The AXI port of a Verilated master as plain structs, shared by the engine
// and card harnesses; sim/src/memory.rs declares the same layout
// (SlaveOut, MasterOut, repr(C)). Wide data: little-endian u64 words.
#pragma once
#include <cstdint>
#include "verilated.h"

extern "C" {
struct SlaveOut {
    uint8_t ar_ready, r_valid, r_resp;
    uint64_t r_data[8];
    uint8_t aw_ready, w_ready, b_valid, b_resp;
};
struct MasterOut {
    uint8_t ar_valid;
    uint64_t ar_addr;
    uint8_t ar_len, r_ready, aw_valid;
    uint64_t aw_addr;
    uint8_t aw_len, w_valid;
    uint64_t w_data[8];
    uint64_t w_strb;
    uint8_t w_last, b_ready;
};
}

template <std::size_t N> static inline void put_wide(VlWide<N>& d, const uint64_t* s) {
    for (std::size_t i = 0; i < N; ++i) d[i] = static_cast<uint32_t>(s[i / 2] >> (32 * (i % 2)));
}
template <std::size_t N> static inline void get_wide(uint64_t* d, const VlWide<N>& s) {
    for (std::size_t i = 0; i < N / 2; ++i) d[i] = static_cast<uint64_t>(s[2 * i]) | (static_cast<uint64_t>(s[2 * i + 1]) << 32);
}
static inline void put_wide(QData& d, const uint64_t* s) { d = s[0]; }
static inline void get_wide(uint64_t* d, QData s) { d[0] = s; }

// Drives the slave side of port PREFIX (m_ or h_) of model M from s.
#define AXI_SLAVE_IN(M, PREFIX, s)          \
    M.PREFIX##ar_ready = (s).ar_ready;      \
    M.PREFIX##r_valid = (s).r_valid;        \
    M.PREFIX##r_resp = (s).r_resp;          \
    put_wide(M.PREFIX##r_data, (s).r_data); \
    M.PREFIX##aw_ready = (s).aw_ready;      \
    M.PREFIX##w_ready = (s).w_ready;        \
    M.PREFIX##b_valid = (s).b_valid;        \
    M.PREFIX##b_resp = (s).b_resp;

// Reads the master side of a full AXI port PREFIX (with lengths and last) of model M into o.
#define AXI_MASTER_OUT(M, PREFIX, o)           \
    (o).ar_valid = M.PREFIX##ar_valid;         \
    (o).ar_addr = M.PREFIX##ar_addr;           \
    (o).ar_len = M.PREFIX##ar_len;             \
    (o).r_ready = M.PREFIX##r_ready;           \
    (o).aw_valid = M.PREFIX##aw_valid;         \
    (o).aw_addr = M.PREFIX##aw_addr;           \
    (o).aw_len = M.PREFIX##aw_len;             \
    (o).w_valid = M.PREFIX##w_valid;           \
    get_wide((o).w_data, M.PREFIX##w_data);    \
    (o).w_strb = M.PREFIX##w_strb;             \
    (o).w_last = M.PREFIX##w_last;             \
    (o).b_ready = M.PREFIX##b_ready;
