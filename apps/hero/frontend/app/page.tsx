import Hero from "@/components/Hero";

// The root page is the component: the static export writes it to out/index.html.
export default function Page() {
  return <Hero />;
}
