use opencl_sys::*;
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::random_bytes;

#[test]
fn write_map_read() {
    let (ctx, q) = context_and_queue();
    let b = buffer(ctx, 0, 10000);
    let data = random_bytes(3, 10000);
    write(q, b, 0, &data);
    assert_eq!(read(q, b, 0, 10000), data);
    let p = enqueue_map_buffer(q, b, true, CL_MAP_READ, 100, 50, 0, None, None).unwrap();
    let s = unsafe { std::slice::from_raw_parts(p, 50) };
    assert_eq!(s, &data[100..150]);
    enqueue_unmap_mem_object(q, b, p, 0, None, None).unwrap();
    finish(q).unwrap();
}
