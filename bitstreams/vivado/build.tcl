# Vendor flow for a PCIe board: the tiledma card behind Xilinx's DMA/Bridge
# Subsystem for PCIe (XDMA) on the KC705 (XC7K325T-2FFG900C, PCIe Gen2 x8).
#
#   NOT RUN IN CI: there is no Vivado on the CI machine. What CI does check:
#   the shim (tiledma_xdma_shim.v) is linted with the card's generated
#   Verilog (sim/tests/lint.rs), so a change of the card's ports fails there.
#   The IP parameter names follow PG195 (XDMA); check them against your
#   Vivado version (see README.md) before the first build.
#
# Usage (from the repository root, after `scripts/setup.sh`):
#   cargo run --release -p tiledma-hdl --bin tiledma-verilog -- card target/vivado/tiledma_card.v
#   vivado -mode batch -source bitstreams/vivado/build.tcl -tclargs \
#       target/vivado/tiledma_card.v $(python3 -c "import pythondata_cpu_picorv32 as p; print(p.data_location)")/picorv32.v
#
# Block design:
#   XDMA (AXI Bridge mode) M_AXI_LITE (BAR0, 128 KiB) ──▶ shim s_axil ──▶ card bar_*
#   card m_* (engine) ─┐                                ┌─▶ XDMA S_AXI_B  (host memory, IOVAs < 2^63)
#   card h_* (bridge) ─┴▶ SmartConnect (512 → 128 bit) ─┴─▶ AXI BRAM ctrl (card memory, 2^63 + 0..256 KiB)
#   card irq ──▶ XDMA usr_irq_req[0] (MSI)

if {[llength $argv] != 2} {
    error "usage: vivado -mode batch -source build.tcl -tclargs TILEDMA_CARD.v PICORV32.v"
}
set card_v     [file normalize [lindex $argv 0]]
set picorv32_v [file normalize [lindex $argv 1]]
set here       [file dirname [file normalize [info script]]]
set out        [file normalize "$here/../../target/vivado"]

create_project -force tiledma_kc705 $out/project -part xc7k325tffg900-2
set bp [lindex [lsort [get_board_parts -quiet *kc705*]] end]
if {$bp ne ""} { set_property board_part $bp [current_project] }

add_files -norecurse [list $card_v $picorv32_v $here/tiledma_xdma_shim.v]
add_files -fileset constrs_1 -norecurse $here/kc705.xdc

create_bd_design tiledma
# PCIe reference clock buffer and the XDMA core.
create_bd_cell -type ip -vlnv xilinx.com:ip:util_ds_buf refclk_buf
set_property CONFIG.C_BUF_TYPE {IBUFDSGTE} [get_bd_cells refclk_buf]
create_bd_cell -type ip -vlnv xilinx.com:ip:xdma xdma
set_property -dict [list \
    CONFIG.functional_mode            {AXI_Bridge} \
    CONFIG.mode_selection             {Advanced} \
    CONFIG.pl_link_cap_max_link_width {X8} \
    CONFIG.pl_link_cap_max_link_speed {5.0_GT/s} \
    CONFIG.axi_data_width             {128_bit} \
    CONFIG.axisten_freq               {250} \
    CONFIG.pf0_device_id              {7464} \
    CONFIG.pf0_base_class_menu        {Processing_accelerators} \
    CONFIG.pf0_class_code_base        {12} \
    CONFIG.pf0_class_code_sub         {00} \
    CONFIG.pf0_class_code_interface   {00} \
    CONFIG.axilite_master_en          {true} \
    CONFIG.axilite_master_size        {128} \
    CONFIG.axilite_master_scale       {Kilobytes} \
    CONFIG.pf0_bar0_enabled           {false} \
    CONFIG.pciebar2axibar_axil_master {0x00000000} \
    CONFIG.axibar_num                 {1} \
    CONFIG.axibar2pciebar_0           {0x0000000000000000} \
    CONFIG.BASEADDR                   {0x0000000000000000} \
    CONFIG.HIGHADDR                   {0x7FFFFFFFFFFFFFFF} \
    CONFIG.pf0_msi_enabled            {true} \
    CONFIG.pf0_interrupt_pin          {NONE} \
    CONFIG.xdma_num_usr_irq           {1} \
] [get_bd_cells xdma]

# The card, through the shim (module reference: the RTL added above).
create_bd_cell -type module -reference tiledma_xdma_shim card

# Interconnect from the card's two masters to host memory and card memory.
create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect sc
set_property -dict [list CONFIG.NUM_SI {2} CONFIG.NUM_MI {2}] [get_bd_cells sc]
create_bd_cell -type ip -vlnv xilinx.com:ip:axi_bram_ctrl card_mem_ctrl
set_property -dict [list CONFIG.DATA_WIDTH {512} CONFIG.SINGLE_PORT_BRAM {1}] [get_bd_cells card_mem_ctrl]
create_bd_cell -type ip -vlnv xilinx.com:ip:blk_mem_gen card_mem
connect_bd_intf_net [get_bd_intf_pins card_mem_ctrl/BRAM_PORTA] [get_bd_intf_pins card_mem/BRAM_PORTA]

# Ports: PCIe lanes, reference clock, PERST#, LEDs.
create_bd_intf_port -mode Master -vlnv xilinx.com:interface:pcie_7x_mgt_rtl:1.0 pcie_mgt
create_bd_intf_port -mode Slave -vlnv xilinx.com:interface:diff_clock_rtl:1.0 pcie_refclk
set_property CONFIG.FREQ_HZ 100000000 [get_bd_intf_ports pcie_refclk]
create_bd_port -dir I -type rst pcie_perst_n
set_property CONFIG.POLARITY ACTIVE_LOW [get_bd_ports pcie_perst_n]
create_bd_port -dir O user_lnk_up
create_bd_port -dir O cpu_trap

connect_bd_intf_net [get_bd_intf_ports pcie_refclk] [get_bd_intf_pins refclk_buf/CLK_IN_D]
connect_bd_net [get_bd_pins refclk_buf/IBUF_OUT] [get_bd_pins xdma/sys_clk]
connect_bd_net [get_bd_ports pcie_perst_n] [get_bd_pins xdma/sys_rst_n]
connect_bd_intf_net [get_bd_intf_pins xdma/pcie_mgt] [get_bd_intf_ports pcie_mgt]
connect_bd_net [get_bd_pins xdma/user_lnk_up] [get_bd_ports user_lnk_up]
connect_bd_net [get_bd_pins card/cpu_trap] [get_bd_ports cpu_trap]

set clk  [get_bd_pins xdma/axi_aclk]
set rstn [get_bd_pins xdma/axi_aresetn]
connect_bd_net $clk [get_bd_pins card/clk] [get_bd_pins sc/aclk] [get_bd_pins card_mem_ctrl/s_axi_aclk]
connect_bd_net $rstn [get_bd_pins card/resetn] [get_bd_pins sc/aresetn] [get_bd_pins card_mem_ctrl/s_axi_aresetn]

connect_bd_intf_net [get_bd_intf_pins xdma/M_AXI_LITE] [get_bd_intf_pins card/s_axil]
connect_bd_intf_net [get_bd_intf_pins card/m0_axi] [get_bd_intf_pins sc/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins card/m1_axi] [get_bd_intf_pins sc/S01_AXI]
connect_bd_intf_net [get_bd_intf_pins sc/M00_AXI] [get_bd_intf_pins xdma/S_AXI_B]
connect_bd_intf_net [get_bd_intf_pins sc/M01_AXI] [get_bd_intf_pins card_mem_ctrl/S_AXI]
connect_bd_net [get_bd_pins card/irq_req] [get_bd_pins xdma/usr_irq_req]

# Address map: BAR0 at 0 on the AXI-Lite side; the card's DMA space split at
# CARD_MEMORY_BASE (contract/src/regs.rs): host memory below, card memory above.
assign_bd_address
set_property offset 0x0000000000000000 [get_bd_addr_segs {card/s_axil/reg0}]
set_property range 128K [get_bd_addr_segs {card/s_axil/reg0}]
set_property offset 0x0000000000000000 [get_bd_addr_segs {card/m0_axi/SEG_xdma_BAR0}]
set_property range 8E [get_bd_addr_segs {card/m0_axi/SEG_xdma_BAR0}]
set_property offset 0x8000000000000000 [get_bd_addr_segs {card/m0_axi/SEG_card_mem_ctrl_Mem0}]
set_property range 256K [get_bd_addr_segs {card/m0_axi/SEG_card_mem_ctrl_Mem0}]
set_property offset 0x0000000000000000 [get_bd_addr_segs {card/m1_axi/SEG_xdma_BAR0}]
set_property range 8E [get_bd_addr_segs {card/m1_axi/SEG_xdma_BAR0}]
set_property offset 0x8000000000000000 [get_bd_addr_segs {card/m1_axi/SEG_card_mem_ctrl_Mem0}]
set_property range 256K [get_bd_addr_segs {card/m1_axi/SEG_card_mem_ctrl_Mem0}]

validate_bd_design
save_bd_design
make_wrapper -files [get_files tiledma.bd] -top -import
set_property top tiledma_wrapper [current_fileset]

launch_runs impl_1 -to_step write_bitstream -jobs 4
wait_on_run impl_1
if {[get_property PROGRESS [get_runs impl_1]] ne "100%"} {
    error "implementation failed: see $out/project/tiledma_kc705.runs/impl_1"
}
open_run impl_1
report_utilization -file $out/utilization.txt
report_timing_summary -file $out/timing.txt
file copy -force $out/project/tiledma_kc705.runs/impl_1/tiledma_wrapper.bit $out/tiledma_kc705.bit
puts "tiledma: $out/tiledma_kc705.bit (utilisation: $out/utilization.txt, timing: $out/timing.txt)"
