# Writing OCI images from files of this machine (Debian packages, a binary built here)
# with umoci: nothing is downloaded. Shared by deploy/image/build (the kubelab image) and
# tests/cluster/images (the test cluster's images). Source it; do not run it.
# new_image and finish_image work in the directory $W (set it first).

# copy a binary and its shared-library closure (ldd) into a rootfs
copy_with_libs() { # rootfs src [dst]
	local root="$1" src="$2" dst="${3:-$2}" lib
	install -D -m 0755 "$src" "$root$dst"
	for lib in $(ldd "$src" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
		[[ -e "$root$lib" ]] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# the minimal /etc (users root and nobody, name service switch, services) and the
# directories a container runtime mounts over
base_etc() { # rootfs
	local r="$1"
	mkdir -p "$r/etc" "$r/tmp" "$r/root" "$r/proc" "$r/sys" "$r/dev" "$r/var/run"
	chmod 1777 "$r/tmp"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
	printf 'hosts: files dns\npasswd: files\ngroup: files\nservices: files\n' > "$r/etc/nsswitch.conf"
	cp /etc/services "$r/etc/services"
}

# an empty image TAG in LAYOUT, unpacked into $W/TAG with an empty rootfs to fill
new_image() { # layout tag
	umoci new --image "$1:$2"
	umoci unpack --image "$1:$2" "$W/$2"
	rm -rf "$W/$2/rootfs"; mkdir -p "$W/$2/rootfs"
}

# repack $W/TAG as one layer, set its configuration (author: $OCI_AUTHOR), remove $W/TAG
finish_image() { # layout tag [umoci config args...]
	local l="$1" t="$2"; shift 2
	umoci repack --image "$l:$t" "$W/$t"
	umoci config --image "$l:$t" --author "${OCI_AUTHOR:-kubelab-testbed}" --created 2000-01-01T00:00:00Z \
		--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
	rm -rf "$W/$t"
}
