# Builds the Windows installer: a jlink runtime, a jpackage application image (wirefx.exe console CLI,
# wirefx-service.exe, wirefx-ui.exe, wirefx-tray.exe), wintun.dll at its pinned version (SHA-256 checked), then
# WireFX-VERSION.msi from wirefx.wxs with WiX 5 (service registered with automatic start, Start-menu entry, tray
# autostart, a fixed upgrade code; uninstall stops and removes the service and removes WireFX's Wintun adapters).
#   pwsh installers/msi/build-msi.ps1 -Jars installers/target/dependency -Out installers/target/msi -Version 0.1.0
param(
  [Parameter(Mandatory)] [string] $Jars,
  [Parameter(Mandatory)] [string] $Out,
  [Parameter(Mandatory)] [string] $Version
)
$ErrorActionPreference = 'Stop'
$here = $PSScriptRoot
$jdk = $env:JAVA_HOME
$WintunVersion = '0.14.1'
$WintunSha256 = '07c256185d6ee3652e09fa55c0b673e2624b565e02c4b9091c79ca7d2f24ef51'

$work = Join-Path $Out 'work'
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
$input_ = New-Item -ItemType Directory -Force (Join-Path $work 'input')
$javafx = New-Item -ItemType Directory -Force (Join-Path $work 'javafx')
Get-ChildItem $Jars -Filter *.jar | ForEach-Object {
  if ($_.Name -like 'javafx-*-win.jar') { Copy-Item $_.FullName $javafx }
  elseif ($_.Name -notlike 'javafx-*') { Copy-Item $_.FullName $input_ }
}
$mainJar = (Get-ChildItem $input_ -Filter 'wirefx-daemon-*.jar').Name

$mods = (& "$jdk\bin\jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps (Get-ChildItem $input_ -Filter *.jar).FullName 2>$null | Select-Object -Last 1)
$mods = "$mods,java.desktop,java.xml,java.scripting,jdk.unsupported,java.logging"
& "$jdk\bin\jlink" --add-modules $mods --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$work\runtime"
if ($LASTEXITCODE) { throw 'jlink failed' }

$ui = '--module-path $APPDIR\javafx --add-modules javafx.controls,javafx.fxml --enable-native-access=javafx.graphics,ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC'
Set-Content "$work\wirefx-service.properties" "main-class=io.wirefx.daemon.service.ServiceMain`njava-options=--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms16m -Xmx128m -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 -Djna.nounpack=true"
Set-Content "$work\wirefx-ui.properties" "main-class=io.wirefx.ui.Main`njava-options=$ui"
Set-Content "$work\wirefx-tray.properties" "main-class=io.wirefx.ui.Main`njava-options=$ui -Dwirefx.ui.hidden=true"
& "$jdk\bin\jpackage" --type app-image --name wirefx --dest "$work\image" --app-version $Version --vendor WireFX `
  --input $input_ --main-jar $mainJar --main-class io.wirefx.daemon.cli.CliMain --win-console `
  --java-options '--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC' `
  --runtime-image "$work\runtime" `
  --add-launcher "wirefx-service=$work\wirefx-service.properties" `
  --add-launcher "wirefx-ui=$work\wirefx-ui.properties" `
  --add-launcher "wirefx-tray=$work\wirefx-tray.properties"
if ($LASTEXITCODE) { throw 'jpackage failed' }
$image = "$work\image\wirefx"
Copy-Item -Recurse $javafx "$image\app\javafx"
Copy-Item "$here\remove-adapters.ps1" $image

# wintun.dll, pinned: the zip's SHA-256 must match before anything of it is used.
$zip = "$work\wintun-$WintunVersion.zip"
Invoke-WebRequest "https://www.wintun.net/builds/wintun-$WintunVersion.zip" -OutFile $zip
$hash = (Get-FileHash -Algorithm SHA256 $zip).Hash.ToLowerInvariant()
if ($hash -ne $WintunSha256) { throw "wintun-$WintunVersion.zip has SHA-256 $hash, expected $WintunSha256" }
Expand-Archive $zip "$work\wintun"
Copy-Item "$work\wintun\wintun\bin\amd64\wintun.dll" $image
Copy-Item "$work\wintun\wintun\LICENSE.txt" "$image\wintun-LICENSE.txt"

New-Item -ItemType Directory -Force $Out | Out-Null
& wix build -arch x64 -ext WixToolset.Util.wixext -d "Version=$Version" -d "AppImage=$image" `
  -o "$Out\WireFX-$Version.msi" "$here\wirefx.wxs"
if ($LASTEXITCODE) { throw 'wix build failed' }
$size = (Get-Item "$Out\WireFX-$Version.msi").Length
Write-Host "WireFX-$Version.msi: $([math]::Ceiling($size / 1MB)) MB"
if ($size -gt 70MB) { throw 'the .msi is larger than 70 MB' }
