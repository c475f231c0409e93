# kvm_amd loaded with nested paging on TCG's emulated SVM; /dev/kvm is there.
. "$(dirname "$0")/../../lib/check.sh"
case "$(getinfo devkvm)" in c*) ;; *) fail "no /dev/kvm: $(getinfo devkvm)" ;; esac
[ "$(getinfo npt)" = 1 ] || [ "$(getinfo npt)" = Y ] || fail "npt=$(getinfo npt)"
pass "/dev/kvm ok nested=$(getinfo nested) npt=$(getinfo npt) cpu: $(getinfo cpuflags)"
