//! Two engine models driven by the same inputs, their outputs compared every
//! cycle. Data and payload fields are compared only where they mean
//! something (a valid beat's strobed bytes, a valid request's fields).

use crate::ffi::{EngineInputs, EngineOutputs};
use crate::model::EngineModel;

/// Runs `A` and `B` in lock step; the bench sees `A`'s outputs.
pub struct LockStep<A, B> {
    /// The model whose outputs drive the bench.
    pub a: A,
    /// The model checked against it.
    pub b: B,
    cycle: u64,
}

impl<A: EngineModel, B: EngineModel> LockStep<A, B> {
    /// Pairs two models of the same bus width.
    pub fn new(a: A, b: B) -> Self {
        assert_eq!(a.beat_bytes(), b.beat_bytes());
        Self { a, b, cycle: 0 }
    }
}

/// The meaningful part of an output set.
fn observable(o: &EngineOutputs, beat_bytes: usize) -> EngineOutputs {
    let mut v = *o;
    if o.stat_valid == 0 {
        v.stat_tag = 0;
        v.stat_error = 0;
    }
    if o.m.ar_valid == 0 {
        v.m.ar_addr = 0;
        v.m.ar_len = 0;
    }
    if o.m.aw_valid == 0 {
        v.m.aw_addr = 0;
        v.m.aw_len = 0;
    }
    if o.m.w_valid == 0 {
        v.m.w_data = [0; 8];
        v.m.w_strb = 0;
        v.m.w_last = 0;
    } else {
        for byte in 0..beat_bytes {
            if o.m.w_strb >> byte & 1 == 0 {
                v.m.w_data[byte / 8] &= !(0xffu64 << (8 * (byte % 8)));
            }
        }
    }
    v
}

impl<A: EngineModel, B: EngineModel> EngineModel for LockStep<A, B> {
    fn beat_bytes(&self) -> usize {
        self.a.beat_bytes()
    }

    fn settle(&mut self, inputs: &EngineInputs) -> EngineOutputs {
        let oa = self.a.settle(inputs);
        let ob = self.b.settle(inputs);
        let w = self.a.beat_bytes();
        assert_eq!(
            observable(&oa, w),
            observable(&ob, w),
            "models disagree at cycle {} with inputs {inputs:?}",
            self.cycle
        );
        oa
    }

    fn clock_edge(&mut self) {
        self.a.clock_edge();
        self.b.clock_edge();
        self.cycle += 1;
    }
}
