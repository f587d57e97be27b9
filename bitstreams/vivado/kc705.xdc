# KC705 (XC7K325T-2FFG900C): PCIe edge connector, Gen2 x8. NOT RUN IN CI.
# PERST# from the edge connector (bank 13, 2.5 V on the KC705).
set_property PACKAGE_PIN G25 [get_ports pcie_perst_n]
set_property IOSTANDARD LVCMOS25 [get_ports pcie_perst_n]
set_property PULLUP true [get_ports pcie_perst_n]
set_false_path -from [get_ports pcie_perst_n]

# 100 MHz PCIe reference clock: MGTREFCLK0 of quad 115 (pins U8/U7), the
# IBUFDS_GTE2 site the KC705's PCIe lanes use.
set_property PACKAGE_PIN U8 [get_ports pcie_refclk_clk_p]
set_property PACKAGE_PIN U7 [get_ports pcie_refclk_clk_n]
set_property LOC IBUFDS_GTE2_X0Y1 [get_cells -hierarchical -filter {NAME =~ *refclk_buf*/*IBUFDS_GTE2*}]
create_clock -name pcie_refclk -period 10.000 [get_ports pcie_refclk_clk_p]
# The lanes' GTX sites (X0Y0..X0Y7, quads 115/116) come from the XDMA IP's
# own constraints for this part and the board part.

# User LEDs (bank 33, 1.5 V): link up and the soft core's trap.
set_property PACKAGE_PIN AB8 [get_ports user_lnk_up]
set_property PACKAGE_PIN AA8 [get_ports cpu_trap]
set_property IOSTANDARD LVCMOS15 [get_ports {user_lnk_up cpu_trap}]
set_false_path -to [get_ports {user_lnk_up cpu_trap}]

set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
set_property CONFIG_VOLTAGE 2.5 [current_design]
set_property CFGBVS VCCO [current_design]
