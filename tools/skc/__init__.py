# SPDX-License-Identifier: MIT
"""skc - the sepkernel configuration compiler.

One TOML file in, a directory of static tables, device trees and
partition packages out, or a list of precise errors and nothing out.

Modules, one concern each:
  units     sizes, times, addresses and the machine's constants
  diag      error collection and formatting
  locate    line numbers for TOML key paths
  schema    [system] and [[partition]] validation
  image     finding and checking partition ELF images (elf: the parser)
  sched     [[schedule]] validation and the per-hart plans
  channels  [[channel]] (not supported yet)
  dts       per-partition device trees
  layout    packages, the kernel reserve, placement, the page-table pool
  emit      writing the output directory
  main      the command line
"""
