// C ABI over the Verilated copy engines. One set of functions per bus width,
// stamped out by ENGINE_HARNESS; the port structs match sim/src/ffi.rs, the
// memory port the shared SlaveOut/MasterOut of axi_port.h.
#include <cstdint>
#include <memory>
#include "verilated.h"
#include "verilated_vcd_c.h"
#include "Vengine_w8.h"
#include "Vengine_w64.h"
#include "axi_port.h"

extern "C" {
struct EngineInputs {
    uint8_t clock, reset;
    uint8_t desc_valid;
    uint64_t desc_src_addr, desc_dst_addr, desc_src_slice_pitch, desc_dst_slice_pitch;
    uint32_t desc_src_row_pitch, desc_dst_row_pitch, desc_row_bytes, desc_rows, desc_slices;
    uint16_t desc_tag;
    uint32_t desc_layout;
    uint8_t stat_ready;
    SlaveOut m;
};
struct EngineOutputs {
    uint8_t desc_ready;
    uint8_t stat_valid, stat_error;
    uint16_t stat_tag;
    MasterOut m;
    uint64_t cnt_busy_cycles, cnt_bytes, cnt_descriptors, cnt_stall_cycles;
    uint8_t idle;
};
}

template <class M> struct Harness {
    VerilatedContext ctx;
    std::unique_ptr<M> model;
    std::unique_ptr<VerilatedVcdC> vcd;
    Harness() {
        ctx.traceEverOn(true);
        model.reset(new M(&ctx, "engine"));
    }
    void eval(const EngineInputs* in, EngineOutputs* out) {
        M& m = *model;
        m.clock = in->clock;
        m.reset = in->reset;
        m.desc_valid = in->desc_valid;
        m.desc_src_addr = in->desc_src_addr;
        m.desc_dst_addr = in->desc_dst_addr;
        m.desc_src_slice_pitch = in->desc_src_slice_pitch;
        m.desc_dst_slice_pitch = in->desc_dst_slice_pitch;
        m.desc_src_row_pitch = in->desc_src_row_pitch;
        m.desc_dst_row_pitch = in->desc_dst_row_pitch;
        m.desc_row_bytes = in->desc_row_bytes;
        m.desc_rows = in->desc_rows;
        m.desc_slices = in->desc_slices;
        m.desc_tag = in->desc_tag;
        m.desc_layout = in->desc_layout;
        m.stat_ready = in->stat_ready;
        AXI_SLAVE_IN(m, m_, in->m)
        m.eval();
        out->desc_ready = m.desc_ready;
        out->stat_valid = m.stat_valid;
        out->stat_error = m.stat_error;
        out->stat_tag = m.stat_tag;
        AXI_MASTER_OUT(m, m_, out->m)
        out->cnt_busy_cycles = m.cnt_busy_cycles;
        out->cnt_bytes = m.cnt_bytes;
        out->cnt_descriptors = m.cnt_descriptors;
        out->cnt_stall_cycles = m.cnt_stall_cycles;
        out->idle = m.idle;
    }
    int trace_open(const char* path) {
        vcd.reset(new VerilatedVcdC);
        model->trace(vcd.get(), 99);
        vcd->open(path);
        return vcd->isOpen() ? 0 : -1;
    }
    void trace_dump(uint64_t time) {
        if (vcd) vcd->dump(time);
    }
    void trace_close() {
        if (vcd) vcd->close();
        vcd.reset();
    }
    ~Harness() {
        trace_close();
        model->final();
    }
};

#define ENGINE_HARNESS(W)                                                                      \
    extern "C" void* tdm_engine_w##W##_new() { return new Harness<Vengine_w##W>(); }           \
    extern "C" void tdm_engine_w##W##_free(void* h) { delete static_cast<Harness<Vengine_w##W>*>(h); } \
    extern "C" void tdm_engine_w##W##_eval(void* h, const EngineInputs* in, EngineOutputs* out) { \
        static_cast<Harness<Vengine_w##W>*>(h)->eval(in, out);                                 \
    }                                                                                          \
    extern "C" int tdm_engine_w##W##_trace_open(void* h, const char* path) {                   \
        return static_cast<Harness<Vengine_w##W>*>(h)->trace_open(path);                       \
    }                                                                                          \
    extern "C" void tdm_engine_w##W##_trace_dump(void* h, uint64_t t) {                        \
        static_cast<Harness<Vengine_w##W>*>(h)->trace_dump(t);                                 \
    }

ENGINE_HARNESS(8)
ENGINE_HARNESS(64)
